/**
 * @module The Substrate conformance suite: one set of cases that every backend
 * runs (ordering, durability across a restart, compare-and-set races, watch
 * and consumer resumption, request timeouts, pub/sub fan-out, partitions).
 */
import { describe } from "node:test";
import { bucketCases } from "./conformance/buckets.js";
import { faultCases } from "./conformance/faults.js";
import type { MakeBackend } from "./conformance/harness.js";
import { messagingCases } from "./conformance/messaging.js";
import { streamCases } from "./conformance/streams.js";

export type { ConformanceBackend, Faults, MakeBackend } from "./conformance/harness.js";

/**
 * Registers the conformance suite for one backend. `makeBackend` makes a
 * fresh backend per test; PoPs used are tokyo, frankfurt and virginia.
 *
 * @example describeSubstrateConformance("embedded", async () => embeddedBackend({ latencyScale: 0.01 }));
 */
export function describeSubstrateConformance(name: string, makeBackend: MakeBackend): void {
  describe(`Substrate conformance: ${name}`, () => {
    bucketCases(makeBackend);
    streamCases(makeBackend);
    messagingCases(makeBackend);
    faultCases(makeBackend);
  });
}
