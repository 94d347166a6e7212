/**
 * @module The kv-rate-limiter example: exact at one PoP, and the leak across
 * PoPs (limit N at each of M PoPs lets about M×N through), on three real PoPs
 * sharing one embedded substrate (store in virginia).
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { startNetwork, until, type Network } from "../../../test/support/network.js";

const EXAMPLE_DIR = fileURLToPath(new URL("..", import.meta.url));
const POPS = ["tokyo", "frankfurt", "virginia"];
const M = POPS.length;
const N = 5;
const SCALE = 0.5;

let net: Network;
before(async () => {
  // A 60 s window: the refill during a test (5 tokens a minute) stays under one token.
  net = await startNetwork(EXAMPLE_DIR, POPS, SCALE, { RATE_LIMIT: String(N), RATE_WINDOW_SECONDS: "60" });
  // Warm each PoP's isolate so the timings below are replication, not a cold start.
  for (const pop of POPS) assert.equal((await hit(pop, "warm-up")).status, 200);
});
after(async () => net?.close());

async function hit(pop: string, client: string): Promise<{ status: number; remaining: string | null; retryAfter: string | null }> {
  const response = await net.fetch(pop, "/", { headers: { "x-client-id": client } });
  await response.arrayBuffer();
  return { status: response.status, remaining: response.headers.get("x-ratelimit-remaining"), retryAfter: response.headers.get("retry-after") };
}

async function bucketAt(pop: string, client: string): Promise<string> {
  const response = await net.fetch(pop, "/bucket", { headers: { "x-client-id": client } });
  return JSON.stringify(((await response.json()) as { bucket: unknown }).bucket);
}

/** Every PoP holds the same copy of the bucket: the last writer's, everywhere. */
async function settled(client: string): Promise<void> {
  await until(async () => new Set(await Promise.all(POPS.map((pop) => bucketAt(pop, client)))).size === 1, `bucket of ${client} converged`);
}

describe("at a single PoP", () => {
  test(`about N = ${N} requests get through, then 429 with retry-after`, async () => {
    const results = [];
    for (let i = 0; i < 2 * N; i++) results.push(await hit("tokyo", "solo"));
    const passed = results.filter((r) => r.status === 200).length;
    assert.equal(passed, N, `statuses ${results.map((r) => r.status).join(" ")}`);
    assert.deepEqual(results.slice(0, N).map((r) => r.remaining), ["4", "3", "2", "1", "0"]);
    for (const denied of results.slice(N)) {
      assert.equal(denied.status, 429);
      assert.ok(Number(denied.retryAfter) >= 1 && Number(denied.retryAfter) <= 12, `retry-after ${denied.retryAfter}`);
    }
    // The other PoPs see the empty bucket once it has replicated: the limit holds for a client that stays put.
    await settled("solo");
    for (const pop of POPS) assert.equal((await hit(pop, "solo")).status, 429, pop);
  });
});

describe(`at M = ${M} PoPs`, () => {
  test("the same client gets about M×N requests through in one window: the leak", async () => {
    // The client calls every PoP at once, once per round; between rounds every
    // PoP has even caught up with the others' writes. Each PoP still reads the
    // same token count, takes one, and writes the same smaller count back: the
    // last writer wins, and M-1 of the M decrements of each round are lost.
    const rounds: number[][] = [];
    for (let round = 0; round < 2 * N; round++) {
      const statuses = await Promise.all(POPS.map(async (pop) => (await hit(pop, "shared")).status));
      rounds.push(statuses);
      await settled("shared");
    }
    const passed = rounds.flat().filter((status) => status === 200).length;
    const detail = `${passed} passed; per round ${rounds.map((r) => r.filter((s) => s === 200).length).join(" ")}`;
    assert.ok(passed > N, `no leak: ${detail}`);
    assert.ok(passed <= M * N + M, `more than M×N + M: ${detail}`);
    // By the end, every PoP agrees the bucket is empty.
    for (const pop of POPS) assert.equal((await hit(pop, "shared")).status, 429, pop);
    console.log(`limit ${N} at each of ${M} PoPs: ${detail}`);
  });

  test("clients are independent", async () => {
    assert.equal((await hit("frankfurt", "another")).status, 200);
    assert.equal((await hit("frankfurt", "another")).remaining, String(N - 2));
  });
});
