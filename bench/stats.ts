/** @module Percentiles and small number helpers for the bench's summaries. */

/** Nearest-rank percentile of `values` (p in 0..100); NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** p50, p99, mean and max of a sample, in its own unit. */
export function summarize(values: readonly number[]): { count: number; p50: number; p99: number; mean: number; max: number } {
  return { count: values.length, p50: percentile(values, 50), p99: percentile(values, 99), mean: mean(values), max: Math.max(...values) };
}

export const MB = 1024 * 1024;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
