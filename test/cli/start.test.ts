/** @module `verge start`: bad input refused naming the flag and the value; a restart on the same data directory keeps what was deployed and prints no new token. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { startVerge, type VergeProcess } from "../support/cli.js";
import { until } from "../support/network.js";
import { bundleTestWorker } from "../support/pop.js";

const BIN = new URL("../../bin/verge.js", import.meta.url).pathname;

function verge(args: string[]): { status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, ["--no-node-snapshot", BIN, ...args], { encoding: "utf8", timeout: 20_000 });
  return { status: result.status, stderr: result.stderr };
}

const scratch = mkdtempSync(join(tmpdir(), "verge-start-args-"));
const shortKey = join(scratch, "short.key");
writeFileSync(shortKey, "abc123\n");
const cases: [string, string[], RegExp][] = [
  ["a worker argument", ["examples/hello"], /verge start: verge start takes no worker: deploy one with verge deploy \(received "examples\/hello"\)/],
  ["an unknown region in --pops", ["--pops", "tokyo,atlantis"], /verge start: .*"atlantis"/],
  ["a PoP named twice", ["--pops", "tokyo,tokyo"], /verge start: --pops names a PoP twice: "tokyo"/],
  ["a bad --api-port", ["--api-port", "99999"], /verge start: --api-port must be a port number from 0 to 65535: received "99999"/],
  ["a bad --metrics-port", ["--metrics-port", "x"], /verge start: --metrics-port must be a port number from 0 to 65535: received "x"/],
  ["a secrets key file that is not a key", ["--secrets-key-file", shortKey], /verge start: The secrets key in .*short\.key is not 32 bytes as 64 hex digits or 44 base64 characters \(it has 6 characters\)/],
  ["a missing secrets key file", ["--secrets-key-file", join(scratch, "none.key")], /verge start: The secrets key file .*none\.key cannot be read/],
  ["a bad --trace-sample", ["--otlp-endpoint", "http://127.0.0.1:4318", "--trace-sample", "2"], /verge start: --trace-sample "2": .*received 2/],
  ["a bad --nats", ["--nats", "http://x"], /verge start: --nats must be nats:\/\/host:port/],
];
for (const [what, args, message] of cases) {
  test(`verge start refuses ${what}`, () => {
    const result = verge(["start", "--data-dir", join(scratch, "data"), ...args]);
    // A region that does not exist is unknown_region (exit 1), like verge dev --pops; the rest are usage errors.
    assert.equal(result.status, what.includes("unknown region") ? 1 : 2, `exit status; stderr: ${result.stderr}`);
    assert.match(result.stderr, message);
  });
}

test("a restart on the same data directory serves what was deployed and prints no admin token", async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), "verge-start-restart-"));
  const args = ["start", "--pops", "tokyo", "--port", "0", "--api-port", "0", "--metrics-port", "0", "--data-dir", dataDir, "--quiet"];
  // Whatever fails, no verge start outlives the test (stop() of an exited process answers at once).
  const started: VergeProcess[] = [];
  t.after(async () => {
    await Promise.all(started.map((process) => process.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  });
  const first = await startVerge(args);
  started.push(first);
  await until(async () => first.output().includes("verge start: ready"), "first start ready", 15_000);
  const token = /VERGE_API_TOKEN=(\S+)/.exec(first.output())![1];
  const api = /VERGE_API_URL=(\S+)/.exec(first.output())![1];
  const call = (path: string, body: unknown) => fetch(`${api}${path}`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: JSON.stringify(body) }).then((res) => res.json() as Promise<{ version: { id: string } }>);
  const code = await bundleTestWorker({ name: "kept", source: `export default { fetch() { return new Response("kept"); } }` });
  const { version } = await call("/v1/workers/kept/versions", { code, config: { vars: {}, bindings: [], routes: [], crons: [] } });
  await call("/v1/workers/kept/deployments", { version: version.id });
  const popUrl = () => /pop tokyo at (\S+)/.exec(current.output())![1];
  let current = first;
  await until(async () => (await (await fetch(popUrl())).text()) === "kept", "served before the restart", 5000);
  assert.equal(await first.stop(), 0);

  current = await startVerge(args);
  started.push(current);
  await until(async () => current.output().includes("verge start: ready"), "second start ready", 15_000);
  assert.doesNotMatch(current.output(), /VERGE_API_TOKEN|admin token/);
  // Ready means serving what was deployed: the first request already gets it.
  assert.equal(await (await fetch(popUrl())).text(), "kept");
  const newApi = /control API at (\S+)\/v1/.exec(current.output())![1];
  const whoami = await fetch(`${newApi}/v1/whoami`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(whoami.status, 200, "the first start's token still works");
  const metricsUrl = /metrics at (\S+)/.exec(current.output())![1];
  const served = (await (await fetch(metricsUrl)).text()).split("\n").filter((line) => line.startsWith("verge_requests_total{"));
  assert.ok(served.some((line) => line.includes('worker="kept"') && line.includes('pop="tokyo"')), served.join("\n"));
  assert.ok(!served.some((line) => line.includes("no_route")), `no request went unserved after the restart: ${served.join("\n")}`);
  assert.equal(await current.stop(), 0);
});
