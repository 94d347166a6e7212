import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { startVerge } from "../support/cli.js";

function workerDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "verge-cli-"));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

test("verge dev serves a worker, prints a line per request with the worker's console output", async () => {
  const dir = workerDir({ "index.js": `export default { fetch(req) { console.log("seen", new URL(req.url).pathname); return new Response("v1"); } }` });
  const verge = await startVerge(["dev", dir, "--port", "0"]);
  try {
    const res = await fetch(`${verge.url}/hello`);
    assert.equal(await res.text(), "v1");
    await new Promise((r) => setTimeout(r, 100));
    assert.match(verge.output(), /GET \/hello 200 [\d.]+ms \(cpu [\d.]+ms\)\n\s+seen \/hello/);
  } finally {
    await verge.stop();
  }
});

test("verge dev reloads on change without dropping a request in flight", async () => {
  const dir = workerDir({ "index.js": `export default { async fetch() { await new Promise((r) => setTimeout(r, 600)); return new Response("old"); } }` });
  const verge = await startVerge(["dev", dir, "--port", "0", "--quiet"]);
  try {
    const inFlight = fetch(verge.url).then((r) => r.text());
    await new Promise((r) => setTimeout(r, 100));
    writeFileSync(join(dir, "index.js"), `export default { fetch() { return new Response("new"); } }`);
    const deadline = Date.now() + 5000;
    let latest = "";
    while (latest !== "new" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      latest = await (await fetch(verge.url)).text();
    }
    assert.equal(latest, "new");
    assert.equal(await inFlight, "old", "the request in flight finished on the old version");
  } finally {
    await verge.stop();
  }
});

test("a broken edit keeps the previous version serving and says why", async () => {
  const dir = workerDir({ "index.js": `export default { fetch() { return new Response("good"); } }` });
  const verge = await startVerge(["dev", dir, "--port", "0", "--quiet"]);
  try {
    writeFileSync(join(dir, "index.js"), `export default { fetch() { return new Response("bad" }`);
    const deadline = Date.now() + 5000;
    while (!/reload failed/.test(verge.output()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.match(verge.output(), /reload failed, still serving the previous version: .*index\.js:1:\d+/s);
    assert.equal(await (await fetch(verge.url)).text(), "good");
  } finally {
    await verge.stop();
  }
});

test("SIGTERM drains requests in flight, then exits 0", async () => {
  const dir = workerDir({ "index.js": `export default { async fetch() { await new Promise((r) => setTimeout(r, 500)); return new Response("finished"); } }` });
  const verge = await startVerge(["dev", dir, "--port", "0", "--quiet", "--no-watch"]);
  const inFlight = fetch(verge.url).then((r) => r.text());
  await new Promise((r) => setTimeout(r, 150));
  const code = await verge.stop("SIGTERM");
  assert.equal(await inFlight, "finished");
  assert.equal(code, 0);
});

test("a 100 MB response streams through the PoP process with bounded memory", async (t) => {
  const dir = workerDir({
    "wrangler.toml": `name = "big"\nmain = "index.js"\n[limits]\ncpu_ms = 10000\n`,
    "index.js": `export default { fetch() { const chunk = new Uint8Array(65536).fill(120); let sent = 0; return new Response(new ReadableStream({ pull(c) { if (sent >= 100 * 1048576) return c.close(); c.enqueue(chunk.slice()); sent += chunk.length; } })); } }`,
  });
  const verge = await startVerge(["dev", dir, "--port", "0", "--quiet", "--no-watch"]);
  try {
    await (await fetch(verge.url + "/warm")).body!.cancel();
    const before = await verge.rssKb("VmRSS");
    const res = await fetch(verge.url);
    let received = 0;
    for await (const chunk of res.body!) received += (chunk as Uint8Array).byteLength;
    assert.equal(received, 100 * 1048576);
    const peakGrowthMb = ((await verge.rssKb("VmHWM")) - before) / 1024;
    t.diagnostic(`peak RSS growth ${peakGrowthMb.toFixed(1)} MB`);
    assert.ok(peakGrowthMb < 96, `peak RSS of the PoP grew by ${peakGrowthMb.toFixed(1)} MB for a 100 MB body`);
  } finally {
    await verge.stop();
  }
});

test("bad flags and bad config are refused with a clear message", async () => {
  const { spawnSync } = await import("node:child_process");
  const bin = new URL("../../bin/verge.js", import.meta.url).pathname;
  const badPort = spawnSync(process.execPath, [bin, "dev", "--port", "99999"], { encoding: "utf8" });
  assert.equal(badPort.status, 2);
  assert.match(badPort.stderr, /--port must be a port number from 0 to 65535: received "99999"/);
  const dir = workerDir({ "wrangler.toml": `name = "x"\nmain = "index.js"\n[limits]\ncpu_ms = -5\n`, "index.js": "" });
  const badConfig = spawnSync(process.execPath, [bin, "dev", dir], { encoding: "utf8" });
  assert.equal(badConfig.status, 1);
  assert.match(badConfig.stderr, /wrangler\.toml: limits\.cpu_ms .*-5/);
  const unknown = spawnSync(process.execPath, [bin, "deploy-now"], { encoding: "utf8" });
  assert.match(unknown.stderr, /unknown command: "deploy-now"/);
});
