/** @module KV and purge of a `verge start` network through the control API (`/v1/areas/…`, `verge kv --api`, `verge purge --api`), for admin tokens only. */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, test } from "node:test";
import { until } from "../support/network.js";
import { fetchFrom, startPlatform, type Platform } from "../support/platform.js";

const BIN = new URL("../../bin/verge.js", import.meta.url).pathname;
let platform: Platform;
before(async () => {
  platform = await startPlatform(["tokyo", "frankfurt"]);
  const id = await platform.upload(
    "flags",
    `export default { async fetch(request, env) {
      const url = new URL(request.url);
      if (url.pathname === "/cached") {
        const cache = caches.default;
        const hit = await cache.match(request.url);
        if (hit) return new Response("hit " + (await hit.text()));
        await cache.put(request.url, new Response(String(Date.now()), { headers: { "cache-control": "max-age=600", "cache-tag": "t1" } }));
        return new Response("miss");
      }
      return new Response(String(await env.FLAGS.get("beta")));
    } }`,
    { bindings: [{ name: "FLAGS", kind: "kv", config: { id: "flags-ns" } }] },
  );
  await platform.call("POST", "/v1/workers/flags/deployments", { version: id });
  await until(async () => (await fetchFrom(platform.pops.tokyo, "/")).status === 200, "deployed");
});
after(() => platform.close());

// Asynchronous: the control plane answering the command runs in this process.
const verge = (args: string[], env: Record<string, string> = {}) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ["--no-node-snapshot", BIN, ...args], { timeout: 20_000, env: { ...process.env, VERGE_API_URL: "", VERGE_API_TOKEN: "", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.once("error", reject);
    child.once("close", (status) => resolve({ status, stdout, stderr }));
  });

test("verge kv --api writes a value every PoP's worker reads, and reads it back", async () => {
  const put = await verge(["kv", "put", "beta", "on", "--namespace", "flags-ns", "--api", platform.api, "--token", platform.adminToken]);
  assert.equal(put.status, 0, put.stderr);
  for (const pop of Object.values(platform.pops)) await until(async () => (await fetchFrom(pop, "/")).text === "on", `the value at ${pop.name}`);
  const got = await verge(["kv", "get", "beta", "--namespace", "flags-ns"], { VERGE_API_URL: platform.api, VERGE_API_TOKEN: platform.adminToken });
  assert.equal(got.status, 0, got.stderr);
  assert.equal(got.stdout, "on");
  const missing = await verge(["kv", "get", "nope", "--namespace", "flags-ns", "--api", platform.api, "--token", platform.adminToken]);
  assert.equal(missing.status, 1);
});

test("verge purge --api purges every PoP's cache", async () => {
  for (const pop of Object.values(platform.pops)) {
    await fetchFrom(pop, "/cached");
    assert.match((await fetchFrom(pop, "/cached")).text, /^hit /, `cached at ${pop.name}`);
  }
  const purged = await verge(["purge", "--tag", "t1", "--api", platform.api, "--token", platform.adminToken]);
  assert.equal(purged.status, 0, purged.stderr);
  for (const pop of Object.values(platform.pops)) await until(async () => (await fetchFrom(pop, "/cached")).text === "miss", `purged at ${pop.name}`);
});

test("the areas need an admin token; bad targets are refused naming the value", async () => {
  const scoped = (await platform.call("POST", "/v1/tokens", { name: "flags only", worker: "flags" })).json.token as string;
  const refused = await verge(["kv", "put", "beta", "off", "--namespace", "flags-ns", "--api", platform.api, "--token", scoped]);
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /verge kv: Token "flags only" is scoped to worker "flags": this needs an admin token/);
  const raw = await fetch(`${platform.api}/v1/areas/kv/flags-ns/values/beta`, { method: "PUT", body: "off" });
  assert.equal(raw.status, 401);
  assert.equal((await fetchFrom(platform.pops.tokyo, "/")).text, "on", "nothing was written");
  const cases: [string[], RegExp][] = [
    [["--api", "ftp://x", "--token", platform.adminToken], /--api must be the http\(s\) URL of the control API .*received "ftp:\/\/x"/],
    [["--api", platform.api], /--api needs an admin token/],
    [["--api", platform.api, "--token", "secret"], /must look like verge_<id>_<secret>: received "secret"/],
    [["--api", platform.api, "--token", platform.adminToken, "--nats", "nats://127.0.0.1:4222"], /--nats and --api cannot be used together/],
  ];
  for (const [flags, message] of cases) {
    const result = await verge(["kv", "get", "beta", "--namespace", "flags-ns", ...flags]);
    assert.equal(result.status, 2, `${flags.join(" ")}: ${result.stderr}`);
    assert.match(result.stderr, message);
  }
});
