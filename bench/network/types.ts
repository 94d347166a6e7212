/** @module Shapes shared by the network benchmarks' results. */
import type { summarize } from "../stats.js";

/** count, p50, p99, mean and max of a sample, in ms. */
export type Summary = ReturnType<typeof summarize>;
