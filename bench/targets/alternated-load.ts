/**
 * @module Two targets serving one workload, loaded with wrk in turn: a base
 * and a variant, in the order base, variant, variant, base, variant, base,
 * base, variant (a drift of the machine weighs on both alike), each after
 * one unmeasured warm-up run. Gives each one's requests per second and its
 * process's CPU time per request (from /proc, less sensitive to a busy
 * machine than throughput), and what the variant costs against the base.
 */
import { runWrk } from "../load/wrk.js";
import type { BenchOptions } from "../options.js";
import type { Workload } from "../workloads.js";
import { cpuSeconds } from "./children.js";
import type { Target } from "./target.js";

export type Side = "base" | "variant";

/** One side over its measured runs. */
export interface SideTotals {
  requests: number;
  rps: number;
  /** The process's CPU time (user + system) per request, in microseconds. */
  cpuUs: number;
}

export interface AlternatedResult {
  base: SideTotals;
  variant: SideTotals;
  /** (base - variant) / base requests per second, in percent. */
  costPercent: number;
  /** What the variant adds to the CPU time per request, in percent. */
  cpuCostPercent: number;
  /** Each measured run, in order. */
  runs: { side: Side; rps: number; cpuUs: number }[];
}

export const ALTERNATED_ORDER: readonly Side[] = ["base", "variant", "variant", "base", "variant", "base", "base", "variant"];

/** Loads `targets` in turn with `workload`; `labels` name each side in progress lines and errors. */
export async function loadAlternated(targets: Record<Side, Target>, labels: Record<Side, string>, workload: Workload, options: BenchOptions, scratchDir: string): Promise<AlternatedResult> {
  const load = (target: Target, durationS: number) => runWrk({ url: `${target.url}/`, host: workload.host, threads: options.threads, connections: options.connections, durationS, scratchDir });
  if (options.warmupS > 0) for (const target of Object.values(targets)) await load(target, options.warmupS);
  const sums = { base: { requests: 0, cpu: 0 }, variant: { requests: 0, cpu: 0 } };
  const runs: AlternatedResult["runs"] = [];
  for (const side of ALTERNATED_ORDER) {
    process.stderr.write(`bench: ${workload.name} on ${labels[side]} (${options.durationS} s)\n`);
    const cpuBefore = cpuSeconds(targets[side].pid);
    const result = await load(targets[side], options.durationS);
    const cpu = cpuSeconds(targets[side].pid) - cpuBefore;
    if (result.errors > 0) throw new Error(`wrk counted ${result.errors} errors on ${labels[side]}`);
    sums[side].requests += result.requests;
    sums[side].cpu += cpu;
    runs.push({ side, rps: result.requests / options.durationS, cpuUs: (cpu / result.requests) * 1e6 });
  }
  const runsOfSide = ALTERNATED_ORDER.filter((side) => side === "base").length;
  const totals = (side: Side): SideTotals => ({ requests: sums[side].requests, rps: sums[side].requests / (runsOfSide * options.durationS), cpuUs: (sums[side].cpu / sums[side].requests) * 1e6 });
  const base = totals("base");
  const variant = totals("variant");
  return { base, variant, costPercent: ((base.rps - variant.rps) / base.rps) * 100, cpuCostPercent: ((variant.cpuUs - base.cpuUs) / base.cpuUs) * 100, runs };
}
