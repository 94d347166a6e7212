/**
 * @module `kill -9` of a `verge pop` process while writes go through it:
 * every write it acknowledged survives, writes made elsewhere meanwhile
 * reach it once it is restarted on the same data directory.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { kv, startCluster, type Cluster } from "../support/cluster.js";
import { until } from "../support/network.js";

const options = { timeout: 90_000 };

describe("verge pop: kill -9 of a PoP process", () => {
  let cluster: Cluster;
  before(async () => {
    cluster = await startCluster(["tokyo", "frankfurt"]);
  });
  after(async () => {
    await cluster?.close();
  });

  test("the restarted PoP loses no acknowledged write and catches up with the writes made while it was down", options, async () => {
    const tokyo = kv(cluster.pops.tokyo);
    // Writes through tokyo, 8 at a time, until it is killed in the middle of them.
    const acknowledged: string[] = [];
    let stopWriting = false;
    const writer = async (lane: number): Promise<void> => {
      for (let i = 0; !stopWriting; i++) {
        const key = `t${lane}-${String(i).padStart(4, "0")}`;
        try {
          await tokyo.put(key, `v-${key}`);
          acknowledged.push(key);
        } catch {
          return; // The process is gone: this write was never acknowledged.
        }
      }
    };
    const writers = Array.from({ length: 8 }, (_, lane) => writer(lane));
    await until(async () => acknowledged.length >= 200, "200 writes acknowledged at tokyo", 30_000);
    await cluster.kill9("tokyo");
    stopWriting = true;
    await Promise.all(writers);
    const n = acknowledged.length;
    assert.ok(n >= 200);

    // Meanwhile, writes at frankfurt: new keys, and a newer value for some of tokyo's.
    const frankfurt = kv(cluster.pops.frankfurt);
    for (let i = 0; i < 50; i++) await frankfurt.put(`f-${i}`, `from frankfurt ${i}`);
    const overwritten = acknowledged.slice(0, 10);
    for (const key of overwritten) await frankfurt.put(key, `newer-${key}`);

    const restarted = kv(await cluster.start("tokyo"));
    const expected = new Map<string, string>(acknowledged.map((key) => [key, `v-${key}`]));
    for (const key of overwritten) expected.set(key, `newer-${key}`);
    for (let i = 0; i < 50; i++) expected.set(`f-${i}`, `from frankfurt ${i}`);
    const missing = async (pop: typeof restarted): Promise<string[]> => {
      const wrong: string[] = [];
      for (const [key, value] of expected) if ((await pop.get(key)) !== value) wrong.push(key);
      return wrong;
    };
    await until(async () => (await missing(restarted)).length === 0, "every write at the restarted tokyo", 20_000).catch(async (error: unknown) => {
      throw new Error(`${String(error)}; wrong or missing: ${(await missing(restarted)).slice(0, 10).join(", ")}`);
    });
    assert.deepEqual(await missing(frankfurt), [], `frankfurt has all ${n} writes acknowledged by tokyo`);

    // And tokyo goes on replicating both ways.
    await restarted.put("after-restart", "yes");
    await until(async () => (await frankfurt.get("after-restart")) === "yes", "tokyo's new write at frankfurt");
    await frankfurt.put("from-frankfurt-after", "yes");
    await until(async () => (await restarted.get("from-frankfurt-after")) === "yes", "frankfurt's new write at tokyo");
  });
});
