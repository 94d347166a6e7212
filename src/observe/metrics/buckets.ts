/**
 * @module Histogram buckets, in seconds, for the times a PoP measures: CPU
 * time of a request (the default limit is 50 ms), wall time of a request
 * (a few ms at the edge, seconds for slow origins and the 30 s waitUntil
 * bound), and KV propagation between PoPs (tens to hundreds of ms across
 * regions, longer after a partition).
 */
export const Buckets = {
  cpuSeconds: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
  wallSeconds: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  kvLagSeconds: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
} as const;
