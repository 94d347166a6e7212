import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { NatsServer } from "../../src/substrate/nats/server.js";
import { startVerge, type VergeProcess } from "../support/cli.js";
import { until } from "../support/network.js";
import { bundleTestWorker } from "../support/pop.js";

let nats: NatsServer;
let root: string;
let control: VergeProcess;
let token: string;
const pops: VergeProcess[] = [];

before(async () => {
  root = mkdtempSync(join(tmpdir(), "verge-nats-platform-"));
  nats = await NatsServer.start();
  control = await startVerge(["start", "--nats", nats.url, "--api-port", "0", "--data-dir", join(root, "control"), "--quiet"]);
  await until(async () => control.output().includes("verge start: ready"), "the control plane is ready", 10_000);
  token = /VERGE_API_TOKEN=(\S+)/.exec(control.output())![1];
  for (const name of ["tokyo", "frankfurt"]) {
    const args = ["pop", "--name", name, "--nats", nats.url, "--port", "0", "--data-dir", join(root, name), "--secrets-key-file", join(root, "control", "secrets.key"), "--quiet"];
    pops.push(await startVerge(name === "tokyo" ? [...args, "--metrics-port", "0"] : args));
  }
});
after(async () => {
  // A before hook that failed half-way leaves some undefined: stop what started.
  await Promise.all([...pops, control].filter((process) => process !== undefined).map((process) => process.stop()));
  await nats?.stop();
  rmSync(root, { recursive: true, force: true });
});

const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${control.url}${path}`, { method, headers: { authorization: `Bearer ${token}` }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: (await res.json().catch(() => null)) as { version: { id: string }; pops: unknown[] } };
};

test("on NATS: PoPs started with no entry serve what the control plane deploys, with its secrets, and export metrics", async () => {
  assert.match(control.output(), /control plane for the PoPs on nats/);
  const code = await bundleTestWorker({ name: "edge", source: `export default { fetch(r, env) { return new Response("edge " + env.GREETING + " " + (env.KEY ? "keyed" : "keyless")); } }` });
  const uploaded = await api("POST", "/v1/workers/edge/versions", { code, config: { vars: { GREETING: "hi" }, bindings: [], routes: [], crons: [] } });
  assert.equal(uploaded.status, 201);
  await api("PUT", "/v1/workers/edge/secrets/KEY", { value: "k-123" });
  const deployed = await api("POST", "/v1/workers/edge/deployments", { version: uploaded.json.version.id });
  assert.equal(deployed.status, 201);
  for (const pop of pops) {
    await until(async () => (await (await fetch(pop.url)).text()) === "edge hi keyed", `served at ${pop.url}`, 10_000);
  }
  const metricsUrl = /metrics (http:\/\/\S+\/metrics)/.exec(pops[0].output())![1];
  const text = await (await fetch(metricsUrl)).text();
  assert.match(text, /verge_requests_total\{[^}]*worker="edge"[^}]*\} [1-9]/);
  await until(async () => (await api("GET", "/v1/pops")).json.pops.length === 2, "both PoPs report their traffic", 5000);
});
