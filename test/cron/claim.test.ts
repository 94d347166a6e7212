/** @module Claims of ticks in the substrate: one winner of each race, late PoPs lose, keys stay one per cron. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { claimTick, cronKey, CRON_BUCKET } from "../../src/cron/index.js";
import { createEmbeddedSubstrate, type EmbeddedSubstrate } from "../../src/substrate/embedded/index.js";
import type { Bucket } from "../../src/substrate/types.js";

const POPS = ["tokyo", "frankfurt", "virginia"];

describe("tick claims", () => {
  let substrate: EmbeddedSubstrate;
  let buckets: Bucket[];

  before(async () => {
    substrate = createEmbeddedSubstrate({ latencyScale: 0.05, home: "virginia" });
    buckets = await Promise.all(POPS.map((pop) => substrate.forPop(pop, { region: pop }).bucket(CRON_BUCKET)));
  });
  after(() => substrate.close());

  it("keys a cron by worker and a hash of its normalized expression, in the characters keys allow", () => {
    const key = cronKey("reports", "*/5 * * * * *");
    assert.match(key, /^reports\/[0-9a-f]{16}$/);
    assert.equal(cronKey("reports", " */5  * * * * * "), key);
    assert.notEqual(cronKey("reports", "*/6 * * * * *"), key);
    assert.notEqual(cronKey("billing", "*/5 * * * * *"), key);
  });

  it("lets exactly one of three PoPs racing for each tick win it", async () => {
    const key = cronKey("race", "* * * * * *");
    for (let tick = 1000; tick <= 5000; tick += 1000) {
      const results = await Promise.all(POPS.map((pop, i) => claimTick(buckets[i], key, { tick, pop, cron: "* * * * * *" })));
      assert.equal(results.filter((result) => result === "won").length, 1, `tick ${tick}: ${results.join(", ")}`);
      assert.deepEqual(results.filter((result) => result !== "won"), ["taken", "taken"]);
    }
  });

  it("tells a late PoP its tick was taken, also by a later tick, and keeps one key", async () => {
    const key = cronKey("late", "* * * * *");
    assert.equal(await claimTick(buckets[0], key, { tick: 60_000, pop: "tokyo", cron: "* * * * *" }), "won");
    assert.equal(await claimTick(buckets[1], key, { tick: 60_000, pop: "frankfurt", cron: "* * * * *" }), "taken");
    assert.equal(await claimTick(buckets[2], key, { tick: 180_000, pop: "virginia", cron: "* * * * *" }), "won");
    assert.equal(await claimTick(buckets[1], key, { tick: 120_000, pop: "frankfurt", cron: "* * * * *" }), "taken");
    const entry = await buckets[0].get(key);
    assert.deepEqual(JSON.parse(Buffer.from(entry!.value).toString()), { tick: 180_000, pop: "virginia", cron: "* * * * *" });
  });

  it("replaces an unreadable record instead of stalling on it", async () => {
    const key = cronKey("garbled", "* * * * *");
    await buckets[0].put(key, Buffer.from("not json"));
    assert.equal(await claimTick(buckets[1], key, { tick: 60_000, pop: "frankfurt", cron: "* * * * *" }), "won");
  });
});
