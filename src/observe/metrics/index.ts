/**
 * @module Prometheus metrics per PoP × worker × version: `PopMetrics.attach(pop)`
 * measures one PoP in its own registry, `startMetricsServer` serves
 * `GET /metrics` on an internal port, `mergedMetrics` joins the PoPs of one
 * process into one exposition. The metrics are listed in docs/observability.md.
 */
export { PopMetrics } from "./pop-metrics.js";
export { startMetricsServer, DEFAULT_METRICS_PORT, METRICS_PATH, type MetricsServer, type MetricsServerOptions } from "./server.js";
export { mergedMetrics } from "./merge.js";
export { Buckets } from "./buckets.js";
export { isError, outcomeCode } from "./request-metrics.js";
