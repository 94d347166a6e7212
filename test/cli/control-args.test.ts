/**
 * @module The control-plane commands refuse bad input before they reach the
 * API, with exit status 2 and one line naming the flag and the value; an API
 * that does not answer, or is not one, is named with its URL.
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { freePort } from "../../src/substrate/nats/probe.js";
import { verge } from "./control-run.js";

const API = ["--api", "http://127.0.0.1:9", "--token", "verge_a_b"];

const refusals: [string, string[], RegExp][] = [
  ["--percent 0", ["deploy", "--percent", "0", ...API], /verge deploy: --percent must be a whole number from 1 to 100: received "0"/],
  ["--percent 101", ["deploy", "--percent", "101", ...API], /--percent must be a whole number from 1 to 100: received "101"/],
  ["--percent abc", ["deploy", "--percent", "abc", ...API], /--percent must be a whole number from 1 to 100: received "abc"/],
  ["--percent 12.5", ["deploy", "--percent", "12.5", ...API], /received "12\.5"/],
  ["--sticky cookie", ["deploy", "--sticky", "cookie", ...API], /verge deploy: --sticky must be ip or header:<name>: received "cookie"/],
  ["--sticky header: with no name", ["deploy", "--sticky", "header:", ...API], /--sticky must be ip or header:<name>: received "header:"/],
  ["a missing token", ["deploy", "--api", "http://127.0.0.1:9"], /verge deploy: No API token given: pass --token <token> or set VERGE_API_TOKEN; "verge start" prints/],
  ["a missing API URL", ["versions", "--token", "verge_a_b"], /verge versions: No control API given: pass --api <url> or set VERGE_API_URL/],
  ["an --api that is not a URL", ["versions", "--api", "localhost:8786", "--token", "verge_a_b"], /--api must be an http\(s\) URL such as http:\/\/127\.0\.0\.1:8786: received "localhost:8786"/],
  ["a --token that is not one", ["versions", "--api", "http://127.0.0.1:9", "--token", "hunter2"], /--token must be a token like verge_<id>_<secret>: received "hunter2"/],
  ["a --name the API would refuse", ["rollback", "--name", "no/slash", ...API], /verge rollback: --name: Invalid worker name: received "no\/slash"/],
  ["a version that is not an id", ["rollback", "v1", ...API], /verge rollback: \[version\]: Invalid version id: received "v1"; expected 20 lowercase hex digits/],
  ["promote with an argument", ["promote", "extra", ...API], /verge promote takes no arguments: received "extra"/],
  ["--limit 0", ["versions", "--limit", "0", ...API], /verge versions: --limit must be a whole number from 1 to 100: received "0"/],
  ["--sample 0", ["tail", "--sample", "0", ...API], /verge tail: --sample must be a share above 0 and at most 1, such as 0\.1: received "0"/],
  ["--sample 1.5", ["tail", "--sample", "1.5", ...API], /--sample must be .*received "1\.5"/],
  ["--sample abc", ["tail", "--sample", "abc", ...API], /--sample must be .*received "abc"/],
  ["--status 600", ["tail", "--status", "5xx,600", ...API], /verge tail: --status must be a comma-separated list of a status \(200\), a class \(5xx\) or error: received "5xx,600"/],
  ["--method with a space", ["tail", "--method", "GET,PO ST", ...API], /--method must be a comma-separated list of a method such as GET: received "GET,PO ST"/],
  ["--path without a slash", ["tail", "--path", "api", ...API], /--path must be a path prefix starting with \/: received "api"/],
  ["--format yaml", ["tail", "--format", "yaml", ...API], /--format must be pretty or json: received "yaml"/],
  ["an unknown secret subcommand", ["secret", "show", ...API], /verge secret needs a subcommand, put, list or delete: received "show"/],
  ["a secret name with a dash", ["secret", "put", "API-KEY", ...API], /verge secret: Invalid secret name: received "API-KEY"; expected 1 to 64 characters/],
];

for (const [what, args, message] of refusals) {
  test(`verge ${args[0]} refuses ${what}`, async () => {
    const result = await verge(args);
    assert.equal(result.status, 2, `exit status; stderr: ${result.stderr}`);
    assert.match(result.stderr, message);
    assert.equal(result.stderr.trim().split("\n").length, 1, `one line: ${result.stderr}`);
  });
}

test("a bad VERGE_API_URL is named as the variable", async () => {
  const result = await verge(["versions"], { env: { VERGE_API_URL: "ftp://127.0.0.1", VERGE_API_TOKEN: "verge_a_b" } });
  assert.equal(result.status, 2);
  assert.match(result.stderr, /verge versions: VERGE_API_URL must be an http\(s\) URL .*received "ftp:\/\/127\.0\.0\.1"/);
});

test("verge secret put refuses an empty stdin, and a value on the command line without repeating it", async () => {
  const empty = await verge(["secret", "put", "API_KEY", ...API], { input: "" });
  assert.equal(empty.status, 2, empty.stderr);
  assert.match(empty.stderr, /verge secret: The value of API_KEY is empty: pipe it in/);
  const onArgv = await verge(["secret", "put", "API_KEY", "s3cret-value", ...API]);
  assert.equal(onArgv.status, 2, onArgv.stderr);
  assert.match(onArgv.stderr, /a value is read from stdin, never from the command line/);
  assert.doesNotMatch(onArgv.stderr, /s3cret-value/);
});

test("without --name, a directory with no worker is refused with what to do", async () => {
  const result = await verge(["versions", ...API], { cwd: mkdtempSync(join(tmpdir(), "verge-control-")) });
  assert.equal(result.status, 2, result.stderr);
  assert.match(result.stderr, /verge versions: No worker named: pass --name <worker>, or run this in a worker's directory \(No config or entry file/);
});

test("an API that does not answer is named with its URL", async () => {
  const port = await freePort();
  const result = await verge(["versions", "--api", `http://127.0.0.1:${port}`, "--token", "verge_a_b"]);
  assert.equal(result.status, 1, result.stderr);
  assert.match(result.stderr, new RegExp(`verge versions: Cannot reach the control API at http://127\\.0\\.0\\.1:${port} \\(GET /v1/workers/greeter/(versions|deployment)\\): ECONNREFUSED; is "verge start" running there\\?`));
});

test("a server that is not the API is named as such", async () => {
  const server = createServer((_request, response) => response.writeHead(404, { "content-type": "text/html" }).end("<h1>nope</h1>"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const result = await verge(["secret", "list", "--api", `http://127.0.0.1:${port}/v1/`, "--token", "verge_a_b"]);
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stderr, new RegExp(`verge secret: http://127\\.0\\.0\\.1:${port} is not a Verge control API: GET /v1/workers/greeter/secrets answered HTTP 404 "<h1>nope</h1>"`));
  } finally {
    server.close();
  }
});

test("every control command has help naming its options, and verge --help lists them", async () => {
  const flags: Record<string, string[]> = {
    deploy: ["--percent", "--sticky", "--no-auto-rollback", "--name", "--api", "--token"],
    versions: ["--limit", "--name", "--api", "--token"],
    rollback: ["--name", "--api", "--token"],
    promote: ["--name", "--api", "--token"],
    secret: ["--name", "--api", "--token"],
    tail: ["--status", "--method", "--path", "--search", "--sample", "--format", "--name", "--api", "--token"],
  };
  const usage = (await verge(["--help"])).stdout;
  for (const [command, expected] of Object.entries(flags)) {
    const help = await verge([command, "--help"]);
    assert.equal(help.status, 0);
    for (const flag of expected) assert.match(help.stdout, new RegExp(`  ${flag} `), `${command} --help names ${flag}`);
    assert.match(usage, new RegExp(`\\n  ${command} +\\S`), `verge --help lists ${command}`);
  }
});
