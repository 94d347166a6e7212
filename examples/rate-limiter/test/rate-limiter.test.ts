/**
 * @module The rate-limiter example on real PoPs sharing one embedded
 * substrate: a concurrent burst for one user spread over three PoPs admits
 * exactly the limit (where examples/kv-rate-limiter lets about M×N through),
 * users are independent, bad user ids get 400 naming them, and an idle
 * user's object deletes its storage after the window.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { startNetwork, until, type Network } from "../../../test/support/network.js";
import { policyOf, take } from "../src/window.js";

const EXAMPLE_DIR = fileURLToPath(new URL("..", import.meta.url));
const POPS = ["tokyo", "frankfurt", "virginia"];
const N = 10;
const SCALE = 0.1;

interface Hit {
  status: number;
  body: { ok?: boolean; remaining?: number; error?: { code: string; message: string } };
  remaining: string | null;
  retryAfter: string | null;
}

async function hit(net: Network, pop: string, path: string, headers: Record<string, string> = {}): Promise<Hit> {
  const response = await net.fetch(pop, path, { headers });
  return { status: response.status, body: (await response.json()) as Hit["body"], remaining: response.headers.get("x-ratelimit-remaining"), retryAfter: response.headers.get("retry-after") };
}

async function status(net: Network, pop: string, user: string): Promise<{ admitted: number; remaining: number; alarm: number | null }> {
  const response = await net.fetch(pop, "/status", { headers: { "x-user-id": user } });
  assert.equal(response.status, 200);
  return (await response.json()) as { admitted: number; remaining: number; alarm: number | null };
}

describe(`N = ${N} per 60 s at three PoPs`, () => {
  let net: Network;
  before(async () => {
    net = await startNetwork(EXAMPLE_DIR, POPS, SCALE, { RATE_LIMIT: String(N), RATE_WINDOW_SECONDS: "60" });
  });
  after(async () => net?.close());

  test(`a concurrent burst of ${3 * N} for one user, ${N} at each PoP, admits exactly ${N}`, async () => {
    const results = await Promise.all(Array.from({ length: 3 * N }, (_, i) => hit(net, POPS[i % POPS.length], "/", { "x-user-id": "alice" })));
    const admitted = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status === 429);
    assert.equal(admitted.length, N, `statuses ${results.map((r) => r.status).join(" ")}`);
    assert.equal(refused.length, 2 * N);
    // Each admitted request took a different slot.
    assert.deepEqual(admitted.map((r) => Number(r.remaining)).sort((a, b) => a - b), Array.from({ length: N }, (_, i) => i));
    for (const r of refused) {
      assert.equal(r.body.error?.code, "rate_limited");
      assert.equal(r.remaining, "0");
      assert.ok(Number(r.retryAfter) >= 1 && Number(r.retryAfter) <= 60, `retry-after ${r.retryAfter}`);
    }
    // Every PoP sees the same full window at once: nothing to wait for, nothing leaked.
    for (const pop of POPS) {
      assert.deepEqual(await status(net, pop, "alice").then(({ admitted, remaining }) => ({ admitted, remaining })), { admitted: N, remaining: 0 }, pop);
      assert.equal((await hit(net, pop, "/", { "x-user-id": "alice" })).status, 429, pop);
    }
  });

  test("a second user is unaffected, by header or by ?user=", async () => {
    const first = await hit(net, "frankfurt", "/", { "x-user-id": "bob" });
    assert.equal(first.status, 200);
    assert.equal(first.remaining, String(N - 1));
    const second = await hit(net, "tokyo", "/?user=bob");
    assert.equal(second.status, 200);
    assert.equal(second.body.remaining, N - 2);
    assert.equal((await hit(net, "virginia", "/", { "x-user-id": "alice" })).status, 429, "alice is still limited");
  });

  test("a missing or invalid user id gets 400 naming it, and takes nothing", async () => {
    const cases: [string, Record<string, string>, string][] = [
      ["/", {}, "No user id: send the x-user-id header or ?user=<id>"],
      ["/", { "x-user-id": "not valid!" }, 'The user id "not valid!" (from the x-user-id header) is not 1 to 64 characters of A-Z a-z 0-9 . _ : @ -'],
      ["/", { "x-user-id": "" }, 'The user id "" (from the x-user-id header) is not 1 to 64 characters of A-Z a-z 0-9 . _ : @ -'],
      ["/?user=caf%C3%A9", {}, 'The user id "café" (from ?user=) is not 1 to 64 characters of A-Z a-z 0-9 . _ : @ -'],
      [`/?user=${"u".repeat(65)}`, {}, `The user id "${"u".repeat(64)}…" (from ?user=) is not 1 to 64 characters of A-Z a-z 0-9 . _ : @ -`],
      ["/status", {}, "No user id: send the x-user-id header or ?user=<id>"],
    ];
    for (const [path, headers, message] of cases) {
      const { status: code, body } = await hit(net, "virginia", path, headers);
      assert.equal(code, 400, `${path} ${JSON.stringify(headers)}`);
      assert.equal(body.error?.code, "bad_user");
      assert.equal(body.error?.message, message);
    }
    // A 64-character id is fine.
    assert.equal((await hit(net, "virginia", `/?user=${"u".repeat(64)}`)).status, 200);
  });
});

describe("a window that passes: N = 2 per 1 s at two PoPs", () => {
  let net: Network;
  before(async () => {
    net = await startNetwork(EXAMPLE_DIR, ["frankfurt", "virginia"], SCALE, { RATE_LIMIT: "2", RATE_WINDOW_SECONDS: "1" });
  });
  after(async () => net?.close());

  test("the user is admitted again after the window, and the idle object has deleted its storage", async () => {
    const user = { "x-user-id": "carol" };
    assert.equal((await hit(net, "frankfurt", "/", user)).status, 200);
    assert.equal((await hit(net, "virginia", "/", user)).status, 200);
    const refused = await hit(net, "frankfurt", "/", user);
    assert.equal(refused.status, 429);
    assert.equal(refused.retryAfter, "1");
    assert.ok((await status(net, "virginia", "carol")).alarm !== null, "an alarm is set while the window holds requests");
    // The alarm fires when the oldest request leaves the window, prunes, and
    // at the last one deletes everything (alarm included).
    await until(async () => {
      const now = await status(net, "virginia", "carol");
      return now.admitted === 0 && now.alarm === null;
    }, "the window emptied and the object's storage deleted", 4000);
    const again = await hit(net, "virginia", "/", user);
    assert.equal(again.status, 200);
    assert.equal(again.remaining, "1");
  });
});

describe("the window's arithmetic", () => {
  test("retry-after counts to when the oldest admitted request leaves the window", () => {
    const policy = { limit: 2, windowSeconds: 10 };
    const { verdict } = take([1_000, 4_000], policy, 5_000);
    assert.deepEqual(verdict, { allowed: false, limit: 2, windowSeconds: 10, remaining: 0, retryAfterSeconds: 6 });
    assert.equal(take([1_000, 4_000], policy, 11_001).verdict.allowed, true, "1 000 left the window at 11 000");
  });

  test("bad vars are refused naming the var and the value", () => {
    assert.deepEqual(policyOf("5", "30"), { limit: 5, windowSeconds: 30 });
    assert.throws(() => policyOf("0", "30"), { name: "RangeError", message: 'RATE_LIMIT must be an integer from 1 to 1000: received "0"' });
    assert.throws(() => policyOf("5", "1.5"), { message: 'RATE_WINDOW_SECONDS must be an integer from 1 to 86400: received "1.5"' });
    assert.throws(() => policyOf(undefined, "30"), { message: "RATE_LIMIT must be an integer from 1 to 1000: received null" });
  });
});
