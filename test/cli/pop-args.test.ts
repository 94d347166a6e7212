/** @module `verge pop` refuses bad input with a non-zero exit and one line naming the flag and the value. */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { freePort } from "../../src/substrate/nats/probe.js";
import { startVerge } from "../support/cli.js";
import { KV_CLUSTER_WORKER } from "../support/cluster.js";

const BIN = new URL("../../bin/verge.js", import.meta.url).pathname;

function verge(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ["--no-node-snapshot", BIN, ...args], { encoding: "utf8", timeout: 20_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const NATS = ["--nats", "nats://127.0.0.1:4222"];
const cases: [string, string[], RegExp][] = [
  ["an unknown flag", ["--name", "tokyo", ...NATS, "--bogus"], /verge pop: Unknown option '--bogus'/],
  ["a missing --nats", ["--name", "tokyo"], /verge pop: --nats is required/],
  ["a --nats that is not a NATS URL", ["--name", "tokyo", "--nats", "http://127.0.0.1:4222"], /verge pop: --nats must be nats:\/\/host:port .*received "http:\/\/127\.0\.0\.1:4222"/],
  ["a missing --name", [...NATS], /verge pop: --name is required/],
  ["a bad --port", ["--name", "tokyo", ...NATS, "--port", "70000"], /verge pop: --port must be a port number from 0 to 65535: received "70000"/],
  ["a --port that is not a number", ["--name", "tokyo", ...NATS, "--port", "http"], /received "http"/],
  ["a --name that is not a region, without --region", ["--name", "atlantis", ...NATS], /verge pop: --name "atlantis" is not a region, so --region must say where the PoP stands; regions: .*tokyo/],
  ["an unknown --region", ["--name", "edge-1", "--region", "mars", ...NATS], /verge pop: --region must be a region: received "mars"; expected one of .*tokyo/],
  ["a --name that is not a valid PoP name", ["--name", "a.b", "--region", "tokyo", ...NATS], /verge pop: --name: Invalid PoP name: received "a\.b"/],
  ["an --origin that is not a URL", ["--name", "tokyo", ...NATS, "--origin", "virginia"], /verge pop: --origin must be an http\(s\) URL: received "virginia"/],
  ["an --object-lease under a second", ["--name", "tokyo", ...NATS, "--object-lease", "500"], /verge pop: --object-lease must be a whole number of milliseconds from 1000 to 600000: received "500"/],
  ["an --object-lease that is not a number", ["--name", "tokyo", ...NATS, "--object-lease", "10s"], /verge pop: --object-lease must be .*received "10s"/],
  ["a bad --var", ["--name", "tokyo", ...NATS, "--var", "NOEQUALS"], /verge pop: --var must look like KEY=VALUE: received "NOEQUALS"/],
  ["a bad --log", ["--name", "tokyo", ...NATS, "--log", "xml"], /verge pop: --log must be pretty or json: received "xml"/],
  ["a bad --metrics-port", ["--name", "tokyo", ...NATS, "--metrics-port", "http"], /verge pop: --metrics-port must be a port number from 0 to 65535: received "http"/],
  ["a --trace-sample over 1", ["--name", "tokyo", ...NATS, "--otlp-endpoint", "http://127.0.0.1:4318", "--trace-sample", "1.5"], /verge pop: --trace-sample "1\.5": .*received 1\.5/],
  ["a --trace-sample without an endpoint", ["--name", "tokyo", ...NATS, "--trace-sample", "0.1"], /verge pop: --trace-sample needs --otlp-endpoint/],
  ["an --otlp-endpoint that is not a URL", ["--name", "tokyo", ...NATS, "--otlp-endpoint", "collector"], /verge pop: --otlp-endpoint "collector": /],
];

for (const [what, args, message] of cases) {
  test(`verge pop refuses ${what}`, () => {
    const result = verge(["pop", KV_CLUSTER_WORKER, ...args]);
    assert.equal(result.status, 2, `exit status; stderr: ${result.stderr}`);
    assert.match(result.stderr, message);
    assert.equal(result.stderr.trim().split("\n").length, 1, `one line: ${result.stderr}`);
  });
}

test("verge pop refuses a port in use, naming it", async () => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
  const port = (taken.address() as AddressInfo).port;
  try {
    const result = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ["--no-node-snapshot", BIN, "pop", KV_CLUSTER_WORKER, "--name", "tokyo", ...NATS, "--port", String(port), "--data-dir", mkdtempSync(join(tmpdir(), "verge-pop-"))]);
      let stderr = "";
      child.stderr.on("data", (chunk) => (stderr += chunk));
      child.once("exit", (status) => resolve({ status, stderr }));
    });
    assert.equal(result.status, 2);
    assert.match(result.stderr, new RegExp(`verge pop: --port ${port}: 127\\.0\\.0\\.1:${port} is in use`));
  } finally {
    taken.close();
  }
});

test("verge pop stops on SIGTERM while NATS has never been reachable", async () => {
  const verge = await startVerge(["pop", KV_CLUSTER_WORKER, "--name", "tokyo", "--nats", `nats://127.0.0.1:${await freePort()}`, "--port", "0", "--data-dir", mkdtempSync(join(tmpdir(), "verge-pop-"))]);
  const stopped = verge.stop();
  const timeout = new Promise<string>((resolve) => setTimeout(() => resolve("still running after 5 s"), 5000).unref());
  const result = await Promise.race([stopped, timeout]);
  if (result !== 0) verge.child.kill("SIGKILL");
  assert.equal(result, 0, verge.output());
  assert.match(verge.output(), /verge pop: SIGTERM, draining requests in flight/);
});

test("verge pop --help lists every option", () => {
  const result = verge(["pop", "--help"]);
  assert.equal(result.status, 0);
  for (const flag of ["--name", "--region", "--nats", "--port", "--host", "--data-dir", "--object-lease", "--allow-local-fetch", "--origin", "--var", "--quiet"]) assert.match(result.stdout, new RegExp(`  ${flag} `));
  assert.match(verge(["--help"]).stdout, /pop\s+Run one PoP of a cluster/);
});
