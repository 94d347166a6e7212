/**
 * @module The control-plane commands against a real `verge start`: deploy,
 * a split, versions, rollback and promote, secrets, the tail, and the API's
 * refusals as the user sees them.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { after, before, test } from "node:test";
import { fetchWithHost } from "../support/http.js";
import { BIN, poll, startControlPlane, verge, WORKER_DIR, type ControlPlane } from "./control-run.js";

let plane: ControlPlane;
let v1 = "";
let v2 = "";

before(async () => {
  plane = await startControlPlane();
});
after(async () => {
  await plane?.process.stop();
});

const run = (args: string[], input?: string) => verge(args, { env: plane.env, input });
const tokyo = () => plane.pops.get("tokyo") ?? assert.fail("no tokyo PoP");
async function greet(pop: string, path = "/", user = "someone"): Promise<string> {
  return (await fetchWithHost(`${pop}${path}`, "greeter.localhost", { headers: { "x-user": user } })).text();
}
/** What 40 clients with different x-user headers are answered at tokyo. */
async function answers(): Promise<Set<string>> {
  return new Set(await Promise.all(Array.from({ length: 40 }, (_, i) => greet(tokyo(), "/", `user-${i}`))));
}

test("verge deploy uploads a version that every PoP then serves; the same content again is the same version", async () => {
  assert.equal(plane.pops.size, 3, plane.process.output());
  const first = await run(["deploy"]);
  assert.equal(first.status, 0, first.stderr);
  v1 = /greeter version ([0-9a-f]{20}) uploaded \(/.exec(first.stdout)?.[1] ?? assert.fail(first.stdout);
  assert.match(first.stdout, new RegExp(`verge deploy: greeter now serves ${v1} at 100%\\n`));
  assert.match(first.stdout, /verge deploy: reached at host greeter\.localhost at every PoP/);
  for (const [name, url] of plane.pops) {
    await poll(async () => (await greet(url)) === "hello one", `${name} to serve the first version`);
    assert.equal((await fetchWithHost(url, "greeter.localhost")).headers.get("x-verge-pop"), name);
  }
  const again = await run(["deploy", "."]);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, new RegExp(`greeter version ${v1} was uploaded before \\(same bundle and config`));
});

test("verge deploy --percent 50 splits clients; versions lists both; rollback restores the first", async () => {
  const split = await run(["deploy", "v2.toml", "--percent", "50", "--sticky", "header:x-user", "--no-auto-rollback"]);
  assert.equal(split.status, 0, split.stderr);
  v2 = /greeter version ([0-9a-f]{20}) uploaded/.exec(split.stdout)?.[1] ?? assert.fail(split.stdout);
  assert.notEqual(v2, v1);
  assert.match(split.stdout, new RegExp(`now serves ${v2} at 50%, ${v1} at 50% \\(sticky by header:x-user\\)`));
  assert.match(split.stdout, /automatic rollback: off/);
  await poll(async () => (await answers()).size === 2, "both versions to answer some of 40 clients");
  assert.deepEqual([...(await answers())].sort(), ["hello one", "hello two"]);

  const listed = await run(["versions"]);
  assert.equal(listed.status, 0, listed.stderr);
  const lines = listed.stdout.split("\n");
  assert.match(lines[0], /^VERSION\s+CREATED\s+SIZE\s+SERVES$/);
  assert.match(lines[1], new RegExp(`^${v2}  \\d{4}-\\d\\d-\\d\\dT[\\d:]+Z  [\\d.]+ KB\\s+deployed at 50%$`));
  assert.match(lines[2], new RegExp(`^${v1} .* deployed at 50%$`));

  const back = await run(["rollback"]);
  assert.equal(back.status, 0, back.stderr);
  assert.equal(back.stdout, `verge rollback: greeter now serves ${v1} at 100%\n`);
  await poll(async () => [...(await answers())].join() === "hello one", "every client to be served the first version again");
  const after = await run(["versions", "--limit", "1"]);
  assert.match(after.stdout, new RegExp(`^${v2} .*KB\\n… and 1 older \\(--limit 2 lists them\\)`, "m"));
  assert.doesNotMatch(after.stdout, /deployed/);
});

test("verge promote ends a split with its new version; verge rollback <version> deploys that one", async () => {
  const split = await run(["deploy", "v2.toml", "--percent", "10"]);
  assert.match(split.stdout, new RegExp(`now serves ${v2} at 10%, ${v1} at 90% \\(sticky by header:x-user\\)`));
  assert.match(split.stdout, /automatic rollback: if the new version's 5xx rate exceeds the other's by more than \d+ points/);
  const promoted = await run(["promote"]);
  assert.equal(promoted.status, 0, promoted.stderr);
  assert.equal(promoted.stdout, `verge promote: greeter now serves ${v2} at 100%\n`);
  await poll(async () => [...(await answers())].join() === "hello two", "every client to be served the second version");
  const back = await run(["rollback", v1, "--name", "greeter"]);
  assert.equal(back.stdout, `verge rollback: greeter now serves ${v1} at 100%\n`);
});

test("verge secret put reads the value from stdin; the worker sees it in env; list shows its name, never its value", async () => {
  const put = await run(["secret", "put", "API_KEY"], "s3cret-value");
  assert.equal(put.status, 0, put.stderr);
  assert.equal(put.stdout, "verge secret: set API_KEY of greeter (12 bytes)\n");
  for (const [name, url] of plane.pops) await poll(async () => (await greet(url, "/secret")) === "s3cret-value", `${name} to give the worker its secret`);
  const list = await run(["secret", "list"]);
  assert.equal(list.status, 0, list.stderr);
  assert.match(list.stdout, /^API_KEY\s+set \d{4}-\d\d-\d\dT/);
  assert.doesNotMatch(list.stdout + list.stderr, /s3cret/);
});

test("verge secret put takes a value typed at a terminal, not echoed, without the line's newline", { skip: !existsSync("/usr/bin/script") && "needs script(1) for a terminal" }, async () => {
  const command = [process.execPath, "--no-node-snapshot", BIN, "secret", "put", "API_KEY"].map((word) => `'${word}'`).join(" ");
  const terminal = spawn("/usr/bin/script", ["-qec", command, "/dev/null"], { cwd: WORKER_DIR, env: { ...process.env, ...plane.env } });
  let output = "";
  terminal.stdout.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => terminal.once("exit", (code) => resolve(code)));
  try {
    await poll(async () => output.includes("Value of API_KEY (hidden): "), "the prompt");
    terminal.stdin.write("typed-value\r");
    assert.equal(await exited, 0, output);
  } finally {
    terminal.kill("SIGKILL");
  }
  assert.match(output, /verge secret: set API_KEY of greeter \(11 bytes\)/);
  assert.doesNotMatch(output, /typed-value/);
  await poll(async () => (await greet(tokyo(), "/secret")) === "typed-value", "tokyo to give the worker the typed value");
});

/** A `verge tail` running in the background, its output as it comes. */
function startTail(args: string[]) {
  const child = spawn(process.execPath, ["--no-node-snapshot", BIN, "tail", ...args], { cwd: WORKER_DIR, env: { ...process.env, ...plane.env } });
  const out = { stdout: "", stderr: "" };
  child.stdout.on("data", (chunk) => (out.stdout += chunk));
  child.stderr.on("data", (chunk) => (out.stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, out, exited };
}

test("verge tail prints a line per request made while it runs, secrets masked, and ends on Ctrl-C", async () => {
  const tail = startTail(["--path", "/secret"]);
  try {
    await poll(async () => tail.out.stderr.includes("verge tail: tailing greeter at"), "the tail to open");
    await poll(async () => {
      await greet(tokyo(), "/secret");
      return tail.out.stdout.includes("\n");
    }, "a line of the tail");
    const [head, ...console] = tail.out.stdout.split("\n");
    assert.match(head, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z tokyo 200 GET /secret [\\d.]+ms \\(cpu [\\d.]+ms\\) ${v1.slice(0, 8)}$`));
    assert.deepEqual(console.slice(0, 2), ["  control-worker saw /secret", "  the key is [secret API_KEY]"]);
    assert.doesNotMatch(tail.out.stdout, /typed-value/);
  } finally {
    tail.child.kill("SIGINT");
  }
  assert.equal(await tail.exited, 0, tail.out.stderr);
});

test("verge tail --format json prints RequestLog records, filtered", async () => {
  const tail = startTail(["--format", "json", "--method", "get", "--path", "/probe"]);
  try {
    await poll(async () => tail.out.stderr.includes("tailing"), "the tail to open");
    await poll(async () => {
      await greet(tokyo(), "/elsewhere");
      await greet(tokyo(), "/probe");
      return tail.out.stdout.includes("\n");
    }, "a line of the tail");
    const log = JSON.parse(tail.out.stdout.split("\n")[0]) as Record<string, unknown>;
    assert.deepEqual({ pop: log.pop, worker: log.worker, method: log.method, path: log.path, status: log.status, logs: log.logs }, { pop: "tokyo", worker: "greeter", method: "GET", path: "/probe", status: 200, logs: [{ level: "log", message: "control-worker saw /probe" }] });
    assert.doesNotMatch(tail.out.stdout, /elsewhere/);
  } finally {
    tail.child.kill("SIGTERM");
  }
  assert.equal(await tail.exited, 0, tail.out.stderr);
});

test("verge secret delete removes it", async () => {
  const deleted = await run(["secret", "delete", "API_KEY"]);
  assert.equal(deleted.stdout, "verge secret: deleted API_KEY of greeter\n");
  assert.equal((await run(["secret", "list"])).stdout, "verge secret: greeter has no secrets\n");
  const again = await run(["secret", "delete", "API_KEY"]);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /^verge secret: not_found: .*API_KEY/);
});

test("the API's refusals reach the user with its code: a bad token, another worker's token, an unknown version, a worker that cannot start", async () => {
  const unknown = await verge(["versions", "--token", "verge_nobody_nothing"], { env: { VERGE_API_URL: plane.env.VERGE_API_URL } });
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /^verge versions: unauthorized: .*; check --token or VERGE_API_TOKEN/);

  const created = await fetch(`${plane.env.VERGE_API_URL}/v1/tokens`, { method: "POST", headers: { authorization: `Bearer ${plane.env.VERGE_API_TOKEN}`, "content-type": "application/json" }, body: JSON.stringify({ name: "other's", worker: "other" }) });
  const { token } = (await created.json()) as { token: string };
  const other = await verge(["versions", "--token", token], { env: { VERGE_API_URL: plane.env.VERGE_API_URL } });
  assert.equal(other.status, 2);
  assert.match(other.stderr, /^verge versions: forbidden: .*; the token may not do this: a worker's token reaches only that worker \(check --name\)/);

  const missing = await run(["rollback", "0123456789abcdef0123"]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /^verge rollback: version_not_found: .*0123456789abcdef0123/);

  const broken = await run(["deploy", "../control-broken"]);
  assert.equal(broken.status, 1, broken.stdout);
  assert.match(broken.stderr, /^verge deploy: invalid_upload: /);
  assert.equal((await run(["versions", "--name", "broken"])).stdout, `verge versions: broken has no versions yet; "verge deploy" uploads one\n`);
});

test("verge tail ends with status 1, saying so, when the control plane goes away", async () => {
  const tail = startTail([]);
  try {
    await poll(async () => tail.out.stderr.includes("tailing"), "the tail to open");
    await plane.process.stop();
    const code = await Promise.race([tail.exited, new Promise((resolve) => setTimeout(() => resolve("still running after 10 s"), 10_000).unref())]);
    assert.equal(code, 1, tail.out.stderr);
  } finally {
    tail.child.kill("SIGKILL");
  }
  assert.match(tail.out.stderr, /verge tail: (The control API at http:\/\/127\.0\.0\.1:\d+ ended the tail of greeter|Cannot reach the control API at http:\/\/127\.0\.0\.1:\d+ \(the tail of greeter\))/);
});
