/**
 * @module KV metrics of a PoP: the propagation lag of every write made at
 * another PoP, observed when this PoP's replica applies it, by namespace and
 * the writing PoP.
 */
import { Histogram, type Registry } from "prom-client";
import type { KvStats } from "../../bindings/kv/plugin.js";
import { Buckets } from "./buckets.js";

/** Registers the KV metrics in `registry` and follows `stats`; answers a function that stops following. */
export function kvMetrics(registry: Registry, stats: KvStats): () => void {
  const lag = new Histogram({
    name: "verge_kv_replication_lag_seconds",
    help: "Time from a KV write at another PoP to its application in this PoP's replica",
    labelNames: ["namespace", "source_pop"] as const,
    buckets: [...Buckets.kvLagSeconds],
    registers: [registry],
  });
  return stats.onLag((sample) => lag.observe({ namespace: sample.namespace, source_pop: sample.writer }, sample.lagMs / 1000));
}
