/**
 * @module The metrics of several PoPs of one process as one exposition, for
 * a single scrape: each metric once, with the series of every PoP (their
 * `pop` label keeps them apart).
 */
import { AggregatorRegistry } from "prom-client";
import type { PopMetrics } from "./pop-metrics.js";

/**
 * The Prometheus text of every PoP in `list`, merged by metric name.
 * @example startMetricsServer({ port: 9464, metrics: () => mergedMetrics(all) })
 */
export async function mergedMetrics(list: readonly PopMetrics[]): Promise<string> {
  const json = await Promise.all(list.map((metrics) => metrics.registry.getMetricsAsJSON()));
  return AggregatorRegistry.aggregate(json).metrics();
}
