/** @module `verge dev --pops`: a reload reaches every PoP; pass-through goes to the simulated origin; a config's own ORIGIN wins. */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { startVerge } from "../support/cli.js";

function workerDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "verge-pops-"));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

const popUrls = (output: string): string[] => [...output.matchAll(/at (http:\/\/[\d.]+:\d+) \(pop \w+\)/g)].map((m) => m[1]);

test("with --port 0 each PoP takes a free port, and a reload swaps the worker on every PoP", async () => {
  const dir = workerDir({ "index.js": `export default { fetch() { return new Response("v1"); } }` });
  const verge = await startVerge(["dev", dir, "--pops", "london,sydney", "--port", "0", "--quiet"]);
  try {
    const urls = popUrls(verge.output());
    assert.equal(urls.length, 2);
    assert.notEqual(urls[0], urls[1]);
    for (const url of urls) assert.equal(await (await fetch(url)).text(), "v1");
    writeFileSync(join(dir, "index.js"), `export default { fetch(request) { return new Response("v2 " + request.cf.colo); } }`);
    const deadline = Date.now() + 5000;
    let seen: string[] = [];
    while (Date.now() < deadline) {
      seen = await Promise.all(urls.map(async (url) => (await fetch(url)).text()));
      if (seen.every((text) => text.startsWith("v2"))) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(seen, ["v2 london", "v2 sydney"]);
  } finally {
    assert.equal(await verge.stop(), 0);
  }
});

test("passThroughOnException() forwards to the simulated origin; a config's own ORIGIN is kept", async () => {
  const dir = workerDir({
    "wrangler.toml": `name = "own-origin"\nmain = "index.js"\n[vars]\nORIGIN = "https://origin.example"\n`,
    "index.js": `export default { fetch(request, env, ctx) { if (new URL(request.url).pathname === "/env") return new Response(env.ORIGIN); ctx.passThroughOnException(); throw new Error("broken"); } }`,
  });
  const verge = await startVerge(["dev", dir, "--pops", "frankfurt", "--port", "0", "--origin", "frankfurt", "--quiet", "--no-watch"]);
  try {
    assert.equal(await (await fetch(`${verge.url}/env`)).text(), "https://origin.example");
    const res = await fetch(`${verge.url}/page?q=1`, { method: "POST", body: "x" });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "origin in frankfurt: POST /page?q=1\n");
    assert.equal(res.headers.get("x-verge-caller-pop"), "frankfurt");
    assert.equal(res.headers.get("x-verge-pop"), "frankfurt");
  } finally {
    assert.equal(await verge.stop(), 0);
  }
});
