/**
 * @module The directory's cases on the embedded substrate (latency model at
 * 1/50 scale), and one that needs its deterministic partitions: store calls
 * held across a cut are delivered at the heal.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { createEmbeddedSubstrate } from "../../../substrate/embedded/index.js";
import { STORE_NODE } from "../../../substrate/types.js";
import { embeddedTestBackend } from "./backends.js";
import { directoryCases } from "./cases.js";
import { Directory } from "./directory.js";
import type { DirectoryError } from "./errors.js";

directoryCases("embedded (latency scale 0.02)", embeddedTestBackend(0.02));

test("a renew held across a cut that lands after the keeper gave up is released at once", { timeout: 10_000 }, async () => {
  const substrate = createEmbeddedSubstrate({ latencyScale: 0.02 });
  const [tokyo, frankfurt] = await Promise.all(["tokyo", "frankfurt"].map((pop) => Directory.open(substrate.forPop(pop), { skewMarginMs: 50 })));
  try {
    const key = { namespace: "counter-Counter", id: randomBytes(32).toString("hex") };
    const owner = await tokyo.claim(key, { pop: "tokyo", leaseMs: 300 });
    const lost = new Promise<DirectoryError>((resolve) => tokyo.keep(owner, { onLost: resolve }));
    substrate.partition("tokyo", STORE_NODE);
    assert.match((await lost).message, /ran out before a renew succeeded/);
    substrate.heal();
    const deadline = performance.now() + 2000;
    while ((await frankfurt.lookup(key, { fresh: true })) !== null) {
      assert.ok(performance.now() < deadline, "the late renew was not released");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const next = await frankfurt.claim(key, { pop: "frankfurt", leaseMs: 300 });
    assert.deepEqual([next.mine, next.epoch], [true, 2]);
  } finally {
    await Promise.all([tokyo.close(), frankfurt.close()]);
    await substrate.close();
  }
});
