/**
 * @module The directory's cases, registered once per backend (embedded.test.ts,
 * nats.test.ts): racing claims, renewals, takeover after a lease runs out,
 * the keeper's report of a loss, the watch-fed lookup cache, a partitioned
 * owner, release, and bad input. Leases are short (500 ms) so that every case
 * ends within a few seconds.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import type { MakeTestBackend, TestBackend } from "./backends.js";
import { Directory, type DirectoryOptions } from "./directory.js";
import { DirectoryError, type DirectoryErrorCode } from "./errors.js";
import type { ObjectKey } from "./keys.js";

const OPTIONS = { timeout: 20_000 };
const LEASE_MS = 500;
const SKEW_MS = 50;
const FIVE = ["tokyo", "frankfurt", "virginia", "sydney", "saopaulo"] as const;

/** A fresh object key. */
const newKey = (): ObjectKey => ({ namespace: "chat-Room", id: randomBytes(32).toString("hex") });
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** Matches a DirectoryError with `code` whose message contains `text`. */
const fails = (code: DirectoryErrorCode, text = "") => (error: unknown) => error instanceof DirectoryError && error.code === code && error.message.includes(text);

/** Polls `check` until it holds; fails after `ms`. */
async function until(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > deadline) assert.fail(`condition not met within ${ms} ms`);
    await sleep(10);
  }
}

type Dirs = Record<string, Directory>;

/** Runs `body` with a directory per PoP on a fresh backend, closing everything whatever happens. */
async function withDirectories(make: MakeTestBackend, pops: readonly string[], body: (dirs: Dirs, backend: TestBackend) => Promise<void>, options: Record<string, DirectoryOptions> = {}): Promise<void> {
  const backend = await make(pops);
  const dirs: Dirs = {};
  try {
    await Promise.all(pops.map(async (pop) => (dirs[pop] = await Directory.open(backend.substrate.forPop(pop), { skewMarginMs: SKEW_MS, ...options[pop] }))));
    await body(dirs, backend);
  } finally {
    await Promise.all(Object.values(dirs).map((directory) => directory.close()));
    await backend.close();
  }
}

/** Registers the directory cases for one backend. */
export function directoryCases(name: string, make: MakeTestBackend): void {
  describe(`Durable Objects directory: ${name}`, () => {
    test("five PoPs racing to claim one id end with exactly one owner, and all agree on it", OPTIONS, () =>
      withDirectories(make, FIVE, async (dirs) => {
        for (let round = 0; round < 4; round++) {
          const key = newKey();
          // Every other round the PoPs looked the object up first, so that their claims start from a cached absence.
          if (round % 2 === 1) for (const pop of FIVE) assert.equal(await dirs[pop].lookup(key), null);
          const answers = await Promise.all(FIVE.map((pop) => dirs[pop].claim(key, { pop, leaseMs: 5000 })));
          const winners = answers.filter((answer) => answer.mine);
          assert.equal(winners.length, 1, `round ${round}: ${winners.length} winners`);
          const [winner] = winners;
          for (const answer of answers) assert.deepEqual([answer.pop, answer.epoch, answer.revision, answer.live], [winner.pop, 1, winner.revision, true]);
          for (const pop of FIVE) {
            const seen = await dirs[pop].lookup(key);
            assert.deepEqual([seen?.pop, seen?.mine], [winner.pop, pop === winner.pop]);
          }
        }
      }));

    test("renewing keeps ownership past the lease; other PoPs are answered the owner", OPTIONS, () =>
      withDirectories(make, ["tokyo", "frankfurt"], async ({ tokyo, frankfurt }) => {
        const key = newKey();
        const owner = await tokyo.claim(key, { pop: "tokyo", leaseMs: LEASE_MS, preferredRegion: "tokyo" });
        assert.deepEqual([owner.mine, owner.epoch, owner.preferredRegion], [true, 1, "tokyo"]);
        const renewed = await tokyo.renew(owner);
        assert.ok(renewed.revision > owner.revision && renewed.expiresAt >= owner.expiresAt && renewed.epoch === 1);
        const lease = tokyo.keep(renewed);
        await sleep(LEASE_MS * 3);
        assert.ok(lease.isValid, "the keeper let its lease run out");
        assert.ok(lease.current.revision > renewed.revision, "the keeper never renewed");
        const answer = await frankfurt.claim(key, { pop: "frankfurt", leaseMs: LEASE_MS });
        assert.deepEqual([answer.pop, answer.mine, answer.epoch, answer.live, answer.preferredRegion], ["tokyo", false, 1, true, "tokyo"]);
        assert.equal(await lease.release(), true);
        assert.ok(lease.signal.aborted);
      }));

    test("an owner that stops renewing loses the object after its lease; the next owner has a higher epoch and the old one's renew fails", OPTIONS, () =>
      withDirectories(make, ["tokyo", "frankfurt", "virginia"], async ({ tokyo, frankfurt, virginia }) => {
        const key = newKey();
        const old = await tokyo.claim(key, { pop: "tokyo", leaseMs: LEASE_MS });
        assert.equal((await frankfurt.claim(key, { pop: "frankfurt", leaseMs: LEASE_MS })).pop, "tokyo");
        await sleep(LEASE_MS + SKEW_MS + 20);
        const taken = await frankfurt.claim(key, { pop: "frankfurt", leaseMs: 5000 });
        assert.deepEqual([taken.mine, taken.pop, taken.epoch], [true, "frankfurt", 2]);
        await assert.rejects(tokyo.renew(old), fails("lease_lost", `PoP "frankfurt" holds it at epoch 2`));
        assert.equal(await tokyo.release(old), false);
        const lost = await new Promise<DirectoryError>((resolve) => tokyo.keep(old, { onLost: resolve }));
        assert.equal(lost.code, "lease_lost");
        await until(async () => (await virginia.lookup(key))?.epoch === 2);
        assert.equal((await tokyo.lookup(key))?.pop, "frankfurt");
      }));

    test("a clock ahead by more than the margin takes a live lease (the model's limit); the holder's keeper learns it from the watch", OPTIONS, () =>
      withDirectories(
        make,
        ["tokyo", "frankfurt"],
        async ({ tokyo, frankfurt }) => {
          const key = newKey();
          const owner = await tokyo.claim(key, { pop: "tokyo", leaseMs: 5000 });
          let lease!: ReturnType<Directory["keep"]>;
          const lost = new Promise<DirectoryError>((resolve) => (lease = tokyo.keep(owner, { renewEveryMs: 4000, onLost: resolve })));
          const started = performance.now();
          const taken = await frankfurt.claim(key, { pop: "frankfurt", leaseMs: 5000 });
          assert.deepEqual([taken.mine, taken.epoch], [true, 2]);
          const error = await lost;
          assert.ok(performance.now() - started < 2000, "the loss was not reported from the watch");
          assert.ok(fails("lease_lost", `PoP "frankfurt" holds it at epoch 2`)(error), error.message);
          assert.equal(lease.signal.reason, error);
          assert.equal(lease.isValid, false);
        },
        { frankfurt: { now: () => Date.now() + 60_000 } },
      ));

    test("lookups are answered from the cache, which follows owner changes through the watch", OPTIONS, () =>
      withDirectories(make, ["tokyo", "frankfurt", "virginia"], async ({ tokyo, frankfurt, virginia }) => {
        const key = newKey();
        const owner = await tokyo.claim(key, { pop: "tokyo", leaseMs: 5000 });
        assert.equal((await virginia.lookup(key))?.pop, "tokyo");
        const before = virginia.stats();
        assert.equal((await virginia.lookup(key))?.pop, "tokyo");
        assert.equal(virginia.stats().cacheHits, before.cacheHits + 1);
        assert.equal(await tokyo.release(owner), true);
        await until(async () => (await virginia.lookup(key)) === null);
        await frankfurt.claim(key, { pop: "frankfurt", leaseMs: 5000 });
        await until(async () => (await virginia.lookup(key))?.pop === "frankfurt");
        assert.equal((await virginia.lookup(key))?.epoch, 2);
        assert.equal(virginia.stats().storeReads, before.storeReads, "a lookup went to the store");
        assert.equal((await virginia.lookup(key, { fresh: true }))?.pop, "frankfurt");
        assert.equal(virginia.stats().storeReads, before.storeReads + 1);
      }));

    test("an owner cut off from the store cannot renew, gives up when its lease runs out, and is replaced", OPTIONS, () =>
      withDirectories(make, ["tokyo", "frankfurt"], async ({ tokyo, frankfurt }, backend) => {
        const key = newKey();
        const owner = await tokyo.claim(key, { pop: "tokyo", leaseMs: LEASE_MS });
        let lostAt = Infinity;
        const lost = new Promise<DirectoryError>((resolve) => tokyo.keep(owner, { onLost: (error) => ((lostAt = performance.now()), resolve(error)) }));
        await backend.cut("tokyo");
        let taken: Awaited<ReturnType<Directory["claim"]>> | undefined;
        await until(async () => (taken = await frankfurt.claim(key, { pop: "frankfurt", leaseMs: 5000 })).mine);
        const takenAt = performance.now();
        assert.deepEqual([taken?.pop, taken?.epoch], ["frankfurt", 2]);
        assert.ok(fails("lease_lost", "ran out before a renew succeeded")(await lost));
        assert.ok(lostAt < takenAt, "the cut-off owner still counted itself owner when another PoP took over");
        await backend.heal();
        await until(async () => (await tokyo.lookup(key))?.pop === "frankfurt");
        await assert.rejects(tokyo.renew(owner), fails("lease_lost", `PoP "frankfurt"`));
      }));

    test("a release hands the object over at once with a higher epoch; a restarted PoP is a new holder", OPTIONS, () =>
      withDirectories(make, ["tokyo", "frankfurt"], async ({ tokyo, frankfurt }, backend) => {
        const key = newKey();
        const owner = await tokyo.claim(key, { pop: "tokyo", leaseMs: 5000 });
        const again = await tokyo.claim(key, { pop: "tokyo", leaseMs: 5000 });
        assert.deepEqual([again.mine, again.revision], [true, owner.revision]);
        const restarted = await Directory.open(backend.substrate.forPop("tokyo"), { skewMarginMs: SKEW_MS });
        try {
          const answer = await restarted.claim(key, { pop: "tokyo", leaseMs: 5000 });
          assert.deepEqual([answer.pop, answer.mine], ["tokyo", false]);
          await assert.rejects(restarted.renew(answer), fails("not_owner", `"${owner.key}"`));
          assert.equal(await tokyo.release(owner), true);
          assert.equal(await tokyo.lookup(key), null);
          const next = await frankfurt.claim(key, { pop: "frankfurt", leaseMs: 5000 });
          assert.deepEqual([next.mine, next.epoch], [true, 2]);
        } finally {
          await restarted.close();
        }
      }));

    test("bad input is refused with the value named, before anything is written", OPTIONS, () =>
      withDirectories(make, ["tokyo"], async ({ tokyo }, backend) => {
        const key = newKey();
        const claim = (k: unknown, options: unknown) => tokyo.claim(k as ObjectKey, options as { pop: string; leaseMs: number });
        await assert.rejects(claim({ namespace: "ns", id: "xyz" }, { pop: "tokyo", leaseMs: 100 }), fails("invalid_object_id", `"xyz"`));
        await assert.rejects(claim({ namespace: "ns", id: key.id.toUpperCase() }, { pop: "tokyo", leaseMs: 100 }), fails("invalid_object_id", key.id.toUpperCase()));
        await assert.rejects(claim({ namespace: "ns", id: key.id.slice(1) }, { pop: "tokyo", leaseMs: 100 }), fails("invalid_object_id", "64 lowercase hex digits"));
        await assert.rejects(claim({ namespace: "a.b", id: key.id }, { pop: "tokyo", leaseMs: 100 }), fails("invalid_namespace", `"a.b"`));
        await assert.rejects(claim({ namespace: "", id: key.id }, { pop: "tokyo", leaseMs: 100 }), fails("invalid_namespace", `""`));
        await assert.rejects(claim(null, { pop: "tokyo", leaseMs: 100 }), fails("invalid_object_id", "null"));
        await assert.rejects(claim(key, { pop: "", leaseMs: 100 }), fails("invalid_pop", `received ""`));
        await assert.rejects(claim(key, { pop: "to kyo", leaseMs: 100 }), fails("invalid_pop", `"to kyo"`));
        for (const leaseMs of [0, -5, 1.5, Number.NaN, "100"]) await assert.rejects(claim(key, { pop: "tokyo", leaseMs }), fails("invalid_lease", `received ${typeof leaseMs === "string" ? `"${leaseMs}"` : leaseMs}`));
        await assert.rejects(claim(key, { pop: "tokyo", leaseMs: 100, preferredRegion: "atlantis" }), fails("invalid_region", `"atlantis"`));
        await assert.rejects(Directory.open(backend.substrate.forPop("tokyo"), { skewMarginMs: -1 }), fails("invalid_option", "received -1"));
        assert.equal(await tokyo.lookup(key), null, "a refused claim wrote something");
        const owner = await tokyo.claim(key, { pop: "tokyo", leaseMs: 300 });
        assert.throws(() => tokyo.keep(owner, { renewEveryMs: 300 }), fails("invalid_option", "received 300"));
        assert.throws(() => tokyo.keep({ ...owner, holder: "elsewhere", mine: false }), fails("not_owner"));
        assert.equal(await tokyo.release(owner), true);
      }));

    test("an undecodable entry is reported as corrupt_entry, naming the key", OPTIONS, () =>
      withDirectories(make, ["tokyo"], async ({ tokyo }, backend) => {
        const key = newKey();
        const bucket = await backend.substrate.forPop("tokyo").bucket("do-directory");
        await bucket.put(`do.${key.namespace}.${key.id}`, new TextEncoder().encode("not json"));
        await assert.rejects(tokyo.lookup(key, { fresh: true }), fails("corrupt_entry", `"do.${key.namespace}.${key.id}"`));
        await assert.rejects(tokyo.claim(key, { pop: "tokyo", leaseMs: 300 }), fails("corrupt_entry", "not json"));
      }));
  });
}
