/** @module The conformance suite on the embedded backend, and the latency model's delays measured. */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { oneWayMs } from "../../regions/index.js";
import { describeSubstrateConformance } from "../conformance.js";
import { bytes, reader } from "../conformance/support.js";
import { createEmbeddedSubstrate, type EmbeddedSubstrate } from "./index.js";
import { embeddedBackend } from "./testing.js";

describeSubstrateConformance("embedded (latency scale 0.02)", () => embeddedBackend({ latencyScale: 0.02 }));

describe("embedded latency model", () => {
  const open: EmbeddedSubstrate[] = [];
  after(() => Promise.all(open.map((substrate) => substrate.close())));
  const make = (latencyScale: number): EmbeddedSubstrate => {
    const substrate = createEmbeddedSubstrate({ latencyScale, home: "virginia" });
    open.push(substrate);
    return substrate;
  };

  test("a message from tokyo to virginia takes the model's one-way time (≈ 85 ms at scale 1)", { timeout: 5000 }, async () => {
    const substrate = make(1);
    const read = reader(await substrate.forPop("virginia").subscribe("ping"));
    const tokyo = substrate.forPop("tokyo");
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      const sent = performance.now();
      tokyo.publish("ping", bytes(String(i)));
      await read.take(1);
      delays.push(performance.now() - sent);
    }
    assert.equal(oneWayMs("tokyo", "virginia"), 85);
    for (const delay of delays) assert.ok(delay >= 84 && delay < 140, `one-way delay ${delay.toFixed(1)} ms, expected ≈ 85`);
  });

  test("a store call from tokyo to a store in virginia pays the round trip; scale 0.1 divides it by ten", { timeout: 5000 }, async () => {
    for (const [scale, low, high] of [[1, 169, 240], [0.1, 16.5, 60]] as const) {
      const tokyo = make(scale).forPop("tokyo");
      const started = performance.now();
      await tokyo.append("timing", bytes("x"));
      const elapsed = performance.now() - started;
      assert.ok(elapsed >= low && elapsed < high, `scale ${scale}: append took ${elapsed.toFixed(1)} ms, expected in [${low}, ${high})`);
    }
  });

  test("a PoP in the store's region pays almost nothing", { timeout: 5000 }, async () => {
    const virginia = make(1).forPop("virginia");
    const started = performance.now();
    await virginia.append("timing", bytes("x"));
    assert.ok(performance.now() - started < 30);
  });
});
