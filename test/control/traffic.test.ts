import assert from "node:assert/strict";
import { test } from "node:test";
import { TrafficWindow } from "../../src/control/traffic/traffic-window.js";
import { TRAFFIC_SUBJECT, type TrafficReport } from "../../src/control/traffic/traffic-report.js";
import { bucketIndex } from "../../src/control/traffic/latency-buckets.js";
import { createEmbeddedSubstrate } from "../../src/substrate/embedded/index.js";
import { until } from "../support/network.js";

test("the traffic window skips malformed reports and sums the good ones per PoP and version, with quantiles", async () => {
  const substrate = createEmbeddedSubstrate({ latencyScale: 0 });
  const window = await TrafficWindow.start(substrate.forPop("control", { region: "virginia" }));
  const pop = substrate.forPop("tokyo", { region: "tokyo" });
  try {
    const encode = (value: unknown) => new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value));
    pop.publish(`${TRAFFIC_SUBJECT}.tokyo`, encode("{not json"));
    pop.publish(`${TRAFFIC_SUBJECT}.tokyo`, encode({ pop: 42 }));
    const now = Date.now();
    const report: TrafficReport = { pop: "tokyo", region: "tokyo", at: now, versions: [{ worker: "w", version: "a".repeat(20), requests: 100, errors: 7, buckets: { [bucketIndex(2)]: 50, [bucketIndex(10)]: 49, [bucketIndex(900)]: 1 } }] };
    pop.publish(`${TRAFFIC_SUBJECT}.tokyo`, encode(report));
    await until(async () => window.pops().length === 1, "the good report arrives after two bad ones");
    const [status] = window.pops(60, now);
    assert.equal(status.name, "tokyo");
    assert.equal(status.latitude, 35.68);
    const [traffic] = status.workers;
    assert.deepEqual({ requests: traffic.requests, errors: traffic.errors }, { requests: 100, errors: 7 });
    assert.ok(traffic.p50Ms! >= 2 && traffic.p50Ms! < 2.5, `p50 ${traffic.p50Ms}`);
    assert.ok(traffic.p99Ms! >= 10 && traffic.p99Ms! < 12.5, `p99 ${traffic.p99Ms}`);
    assert.deepEqual(window.totals("w", "a".repeat(20), 60, now), { requests: 100, errors: 7 });
    assert.deepEqual(window.totals("w", "a".repeat(20), 60, now + 61_000), { requests: 0, errors: 0 }, "out of the window a minute later");
  } finally {
    await window.close();
    await substrate.close();
  }
});
