/** @module `verge dev --pops`: one real PoP per region on consecutive ports, the client-region delay and the simulated origin. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { clientRttMs, rttMs } from "../../src/regions/index.js";
import { startVerge, type VergeProcess } from "../support/cli.js";

const BIN = new URL("../../bin/verge.js", import.meta.url).pathname;
const POPS = ["tokyo", "frankfurt", "virginia"];
const WORKER = `export default { async fetch(request, env) {
  if (new URL(request.url).pathname === "/origin") {
    const res = await fetch(env.ORIGIN + "/from-worker");
    return new Response(await res.text(), { headers: { "x-caller": res.headers.get("x-verge-caller-pop") ?? "" } });
  }
  return Response.json({ colo: request.cf.colo, clientRegion: request.headers.get("x-verge-client-region") });
} }`;

function listen(port: number): Promise<Server | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(null));
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

/** A base port with `count` consecutive free ports on 127.0.0.1 (checked, then released). */
async function freeConsecutivePorts(count: number): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const first = await listen(0);
    if (!first) continue;
    const base = (first.address() as { port: number }).port;
    const rest: (Server | null)[] = [];
    for (let i = 1; i < count && base + i <= 65535; i++) rest.push(await listen(base + i));
    const all = [first, ...rest];
    await Promise.all(all.flatMap((s) => (s ? [new Promise((resolve) => s.close(resolve))] : [])));
    if (all.length === count && all.every(Boolean)) return base;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}

/** Wall time of one request, in ms, and its response. */
async function timed(url: string, headers: Record<string, string> = {}): Promise<{ ms: number; res: Response; text: string }> {
  const started = performance.now();
  const res = await fetch(url, { headers });
  const text = await res.text();
  return { ms: performance.now() - started, res, text };
}

/** The fastest of `n` runs: the least disturbed by a busy machine. */
async function fastest(n: number, url: string, headers: Record<string, string> = {}): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < n; i++) best = Math.min(best, (await timed(url, headers)).ms);
  return best;
}

describe("verge dev --pops tokyo,frankfurt,virginia --origin virginia", () => {
  let verge: VergeProcess;
  let base: number;
  const urls: Record<string, string> = {};
  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), "verge-pops-"));
    writeFileSync(join(dir, "index.js"), WORKER);
    base = await freeConsecutivePorts(POPS.length);
    verge = await startVerge(["dev", dir, "--pops", POPS.join(","), "--port", String(base), "--origin", "virginia", "--quiet", "--no-watch"]);
    for (const match of verge.output().matchAll(/at (http:\/\/[\d.]+:\d+) \(pop (\w+)\)/g)) urls[match[2]] = match[1];
    for (const pop of POPS) await (await fetch(urls[pop])).text(); // Warm: the isolates are loaded.
  });
  after(async () => {
    assert.equal(await verge.stop(), 0);
  });

  test("one PoP per region, on consecutive ports in the order given, each named after its region", async () => {
    assert.equal(verge.url, `http://127.0.0.1:${base}`, "the first line keeps the single-PoP format and names the first PoP");
    assert.deepEqual(POPS.map((pop) => urls[pop]), POPS.map((_, i) => `http://127.0.0.1:${base + i}`));
    assert.match(verge.output(), /simulated origin in virginia at http:\/\/127\.0\.0\.1:\d+/);
    for (const pop of POPS) {
      const { res, text } = await timed(urls[pop]);
      assert.equal(res.headers.get("x-verge-pop"), pop);
      assert.deepEqual(JSON.parse(text), { colo: pop, clientRegion: null });
    }
  });

  test("x-verge-client-region delays the answer by the model's round trip, and the worker does not see it", async () => {
    const header = { "x-verge-client-region": "tokyo" };
    const { text } = await timed(urls.virginia, header);
    assert.deepEqual(JSON.parse(text), { colo: "virginia", clientRegion: null });
    const atTokyo = await fastest(3, urls.tokyo, header);
    const atVirginia = await fastest(2, urls.virginia, header);
    assert.ok(atVirginia >= clientRttMs("tokyo", "virginia") - 2, `virginia took ${atVirginia.toFixed(1)} ms`);
    assert.ok(atVirginia - atTokyo > 100, `tokyo ${atTokyo.toFixed(1)} ms, virginia ${atVirginia.toFixed(1)} ms`);
  });

  test("an unknown region in x-verge-client-region is a 400 naming it", async () => {
    const { res, text } = await timed(urls.frankfurt, { "x-verge-client-region": "atlantis" });
    assert.equal(res.status, 400);
    const body = JSON.parse(text) as { error: { code: string; message: string } };
    assert.equal(body.error.code, "bad_request");
    assert.match(body.error.message, /x-verge-client-region: received "atlantis"; expected one of tokyo, /);
  });

  test("a fetch to env.ORIGIN in virginia pays the round trip from the calling PoP", async () => {
    const fromTokyo = await timed(`${urls.tokyo}/origin`);
    assert.equal(fromTokyo.text, "origin in virginia: GET /from-worker\n");
    assert.equal(fromTokyo.res.headers.get("x-caller"), "tokyo", "the PoP's egress says who is calling");
    const tokyo = Math.min(fromTokyo.ms, await fastest(2, `${urls.tokyo}/origin`));
    const virginia = await fastest(3, `${urls.virginia}/origin`);
    assert.ok(tokyo >= rttMs("tokyo", "virginia") - 2, `tokyo took ${tokyo.toFixed(1)} ms`);
    assert.ok(tokyo - virginia > 100, `from tokyo ${tokyo.toFixed(1)} ms, from virginia ${virginia.toFixed(1)} ms`);
  });
});

test("unknown or repeated regions in --pops, and an unknown --origin region, are refused naming the value", () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [BIN, "dev", ...args], { encoding: "utf8", timeout: 20_000 });
  const unknown = run("--pops", "tokyo,atlantis");
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /^verge dev: Unknown region: received "atlantis"; expected one of tokyo, .*virginia/m);
  const twice = run("--pops", "tokyo,tokyo");
  assert.equal(twice.status, 2);
  assert.match(twice.stderr, /--pops names a PoP twice: "tokyo"/);
  const origin = run("--origin", "Atlantis");
  assert.equal(origin.status, 1);
  assert.match(origin.stderr, /Unknown region: received "Atlantis"/);
});
