/** @module Conformance cases for buckets: revisions, compare-and-set races, watch and its resumption, durability. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { SubstrateError } from "../errors.js";
import type { BucketChange } from "../types.js";
import { TEST_TIMEOUT_MS, withBackend, type MakeBackend } from "./harness.js";
import { bytes, reader, text } from "./support.js";

const summary = (change: BucketChange): string => `${change.op} ${change.key}${change.op === "put" ? `=${text(change.value)}` : ""}`;

/** Registers the bucket cases. */
export function bucketCases(make: MakeBackend): void {
  const options = { timeout: TEST_TIMEOUT_MS };
  describe("buckets", () => {
    test("get, put and delete with increasing revisions, read from another PoP", options, () =>
      withBackend(make, async ({ substrate }) => {
        const tokyo = await substrate.forPop("tokyo").bucket("config");
        const frankfurt = await substrate.forPop("frankfurt").bucket("config");
        assert.equal(await tokyo.get("a"), null);
        const r1 = await tokyo.put("a", bytes("one"));
        const r2 = await tokyo.put("a", bytes("two"));
        assert.ok(r1 >= 1 && r2 > r1);
        const entry = await frankfurt.get("a");
        assert.deepEqual(entry && { key: entry.key, value: text(entry.value), revision: entry.revision }, { key: "a", value: "two", revision: r2 });
        await frankfurt.delete("a");
        assert.equal(await tokyo.get("a"), null);
      }));

    test("stored values are copies of what was put", options, () =>
      withBackend(make, async ({ substrate }) => {
        const bucket = await substrate.forPop("tokyo").bucket("config");
        const value = bytes("abc");
        await bucket.put("k", value);
        value[0] = 0x7a;
        assert.equal(text((await bucket.get("k"))!.value), "abc");
      }));

    test("compare-and-set: create only, stale revisions conflict as a result", options, () =>
      withBackend(make, async ({ substrate }) => {
        const bucket = await substrate.forPop("tokyo").bucket("leases");
        const created = await bucket.compareAndSet("lock", bytes("tokyo"), null);
        assert.ok(created.ok);
        assert.deepEqual(await bucket.compareAndSet("lock", bytes("again"), null), { ok: false, currentRevision: created.revision });
        const updated = await bucket.compareAndSet("lock", bytes("tokyo-2"), created.revision);
        assert.ok(updated.ok && updated.revision > created.revision);
        assert.deepEqual(await bucket.compareAndSet("lock", bytes("stale"), created.revision), { ok: false, currentRevision: updated.revision });
        await bucket.delete("lock");
        assert.ok((await bucket.compareAndSet("lock", bytes("after delete"), null)).ok);
      }));

    test("writers racing on one key from several PoPs: exactly one wins each round", options, () =>
      withBackend(make, async ({ substrate }) => {
        const writers = await Promise.all(["tokyo", "frankfurt", "virginia"].map((pop) => substrate.forPop(pop).bucket("directory")));
        let expected: number | null = null;
        for (let round = 0; round < 10; round++) {
          const results = await Promise.all(writers.flatMap((bucket, i) => [0, 1].map((n) => bucket.compareAndSet("object-1", bytes(`${round}:${i}:${n}`), expected))));
          const winners = results.filter((result) => result.ok);
          assert.equal(winners.length, 1, `round ${round}: ${winners.length} winners`);
          expected = winners[0].ok ? winners[0].revision : null;
          for (const loser of results.filter((result) => !result.ok)) assert.ok(!loser.ok && (loser.currentRevision === null || loser.currentRevision >= 1));
        }
        assert.equal((await writers[0].get("object-1"))?.revision, expected);
      }));

    test("watch: current entries under the prefix, then live changes in revision order", options, () =>
      withBackend(make, async ({ substrate }) => {
        const bucket = await substrate.forPop("tokyo").bucket("deployments");
        await bucket.put("app.a", bytes("1"));
        await bucket.put("other.x", bytes("no"));
        await bucket.put("app.b", bytes("2"));
        await bucket.put("app.gone", bytes("3"));
        await bucket.delete("app.gone");
        const watch = await (await substrate.forPop("frankfurt").bucket("deployments")).watch("app.");
        const read = reader(watch);
        assert.deepEqual((await read.take(2)).map(summary), ["put app.a=1", "put app.b=2"]);
        await bucket.put("app.a", bytes("4"));
        await bucket.put("other.y", bytes("no"));
        await bucket.delete("app.b");
        const live = await read.take(2);
        assert.deepEqual(live.map(summary), ["put app.a=4", "delete app.b"]);
        assert.ok(live[1].revision > live[0].revision);
        await read.nothing(200);
        await watch.close();
        assert.equal(await read.end(), "done");
      }));

    test("watch resumes from a revision after a reconnect and after a restart", options, () =>
      withBackend(make, async (backend) => {
        const bucket = await backend.substrate.forPop("tokyo").bucket("deployments");
        const first = await bucket.watch("", { fromRevision: 1 });
        const read = reader(first);
        await bucket.put("k1", bytes("a"));
        await bucket.put("k2", bytes("b"));
        const seen = await read.take(2);
        await first.close();
        await bucket.put("k3", bytes("c"));
        await bucket.delete("k1");
        const resumed = reader(await bucket.watch("", { fromRevision: seen[1].revision + 1 }));
        assert.deepEqual((await resumed.take(2)).map(summary), ["put k3=c", "delete k1"]);
        const substrate = await backend.restart();
        const again = await substrate.forPop("virginia").bucket("deployments");
        const afterRestart = reader(await again.watch("k", { fromRevision: seen[1].revision + 1 }));
        assert.deepEqual((await afterRestart.take(2)).map(summary), ["put k3=c", "delete k1"]);
        await again.put("k4", bytes("d"));
        assert.deepEqual((await afterRestart.take(1)).map(summary), ["put k4=d"]);
      }));

    test("acknowledged bucket writes survive a restart", options, () =>
      withBackend(make, async (backend) => {
        const bucket = await backend.substrate.forPop("tokyo").bucket("leases");
        const revision = await bucket.put("owner", bytes("tokyo"));
        const substrate = await backend.restart();
        const entry = await (await substrate.forPop("frankfurt").bucket("leases")).get("owner");
        assert.ok(entry);
        assert.equal(entry.revision, revision);
        assert.equal(text(entry.value), "tokyo");
      }));

    test("bad keys and bucket names are refused with invalid_name", options, () =>
      withBackend(make, async ({ substrate }) => {
        const view = substrate.forPop("tokyo");
        const invalid = (error: unknown): boolean => error instanceof SubstrateError && error.code === "invalid_name";
        await assert.rejects(async () => view.bucket("has space"), invalid);
        const bucket = await view.bucket("ok");
        for (const key of ["", ".lead", "trail.", "sp ace", "star*"]) await assert.rejects(async () => bucket.get(key), invalid, key);
      }));
  });
}
