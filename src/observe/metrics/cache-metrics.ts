/**
 * @module HTTP cache metrics of a PoP, read from its cache at scrape time:
 * lookups by worker and result (the Cache API's `match` and cached
 * subrequests), the hit ratio since the PoP started, stores, purged entries
 * and what the cache holds.
 */
import type { Registry } from "prom-client";
import type { PopCache } from "../../cache/index.js";
import { collectedCounter, collectedGauge } from "./collected.js";

/** Registers the cache metrics of `cache` in `registry`. */
export function cacheMetrics(registry: Registry, cache: PopCache): void {
  const byWorker = () => [...cache.lookupsByWorker].map(([worker, tally]) => ({ worker, ...tally }));
  collectedCounter(registry, {
    name: "verge_cache_lookups_total",
    help: "Cache lookups by worker and result (hit: a stored response was found)",
    labelNames: ["worker", "result"] as const,
    read: () => byWorker().flatMap(({ worker, hits, misses }) => [[{ worker, result: "hit" }, hits] as const, [{ worker, result: "miss" }, misses] as const]),
  });
  collectedGauge(registry, {
    name: "verge_cache_hit_ratio",
    help: "Hits over lookups since the PoP started, by worker (rates over a window come from verge_cache_lookups_total)",
    labelNames: ["worker"] as const,
    read: () => byWorker().map(({ worker, hits, misses }) => [{ worker }, hits / (hits + misses)] as const),
  });
  const one = (value: () => number) => () => [[{}, value()] as const];
  collectedCounter(registry, { name: "verge_cache_stores_total", help: "Responses stored in the cache", labelNames: [], read: one(() => cache.counters.stores) });
  collectedCounter(registry, { name: "verge_cache_purged_entries_total", help: "Entries removed by purges", labelNames: [], read: one(() => cache.counters.purged) });
  collectedGauge(registry, { name: "verge_cache_entries", help: "Responses the cache holds now", labelNames: [], read: one(() => cache.store.size) });
  collectedGauge(registry, { name: "verge_cache_size_bytes", help: "Bytes the cache holds now (bodies, headers and keys)", labelNames: [], read: one(() => cache.store.bytes) });
}
