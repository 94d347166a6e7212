/**
 * @module Isolate metrics of a PoP, read from its hosted worker versions at
 * scrape time: cold starts, limit kills, loaded isolates, their heap, and
 * requests in flight, by worker and version.
 */
import type { Registry } from "prom-client";
import type { WorkerRuntime } from "../../runtime/index.js";
import { collectedCounter, collectedGauge, type Sample } from "./collected.js";

const labelNames = ["worker", "version"] as const;
type Label = (typeof labelNames)[number];

/** Registers the isolate metrics in `registry`, read from `runtimes()` at every scrape. */
export function runtimeMetrics(registry: Registry, runtimes: () => readonly WorkerRuntime[]): void {
  const each = (value: (runtime: WorkerRuntime) => number) => (): Sample<Label>[] =>
    runtimes().map((runtime) => [{ worker: runtime.definition.name, version: runtime.definition.version }, value(runtime)]);
  collectedCounter(registry, { name: "verge_cold_starts_total", help: "Cold starts: the worker version's bundle run in a fresh isolate", labelNames, read: each((r) => r.stats.coldStarts) });
  collectedCounter(registry, { name: "verge_isolate_limit_kills_total", help: "Isolates disposed because a request broke a CPU or memory limit", labelNames, read: each((r) => r.stats.limitKills) });
  collectedGauge(registry, { name: "verge_isolates_loaded", help: "1 while the worker version's isolate is loaded, else 0", labelNames, read: each((r) => (r.loaded ? 1 : 0)) });
  collectedGauge(registry, { name: "verge_isolate_heap_bytes", help: "Heap in use by the worker version's isolate (0 when not loaded)", labelNames, read: each((r) => r.heapBytes()) });
  collectedGauge(registry, { name: "verge_requests_in_flight", help: "Invocations under way in the worker version's isolate", labelNames, read: each((r) => r.inFlight) });
}
