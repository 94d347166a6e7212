/**
 * @module What tracing costs (`--only tracing`): hello world on two Verge
 * PoPs (child processes), one with tracing off and one exporting to a
 * loopback collector at the default 5% sampling, loaded with wrk in turn
 * (off, on, on, off, on, off, off, on: a drift of the machine weighs on both
 * alike). The cost is the drop in requests per second from off to on; the
 * PoP's CPU time per request (from /proc, less sensitive to a busy machine
 * than throughput) is given beside it.
 */
import { bundleWorker } from "../../src/bundler/index.js";
import { TracingDefaults } from "../../src/observe/tracing/index.js";
import { verifyTarget } from "../load/verify.js";
import type { BenchOptions } from "../options.js";
import { loadAlternated, type Side } from "../targets/alternated-load.js";
import { startVerge, type VergeTarget } from "../targets/verge.js";
import { WORKLOADS } from "../workloads.js";
import { startOtlpSink } from "./otlp-sink.js";

export interface TracingCostResult {
  sampleRatio: number;
  /** Requests per second over the four measured runs of each. */
  offRps: number;
  onRps: number;
  /** (off - on) / off, in percent. */
  costPercent: number;
  /** The PoP's CPU time (user + system) per request, in microseconds, and what tracing adds to it in percent. */
  offCpuUs: number;
  onCpuUs: number;
  cpuCostPercent: number;
  /** Each measured run, in order. */
  runs: { tracing: "off" | "on"; rps: number; cpuUs: number }[];
  /** Requests served by the PoP with tracing on, and the spans its collector received. */
  onRequests: number;
  spansExported: number;
}

export async function runTracingCost(options: BenchOptions, scratchDir: string): Promise<TracingCostResult> {
  const hello = WORKLOADS.find((w) => w.name === "hello")!;
  const { code } = await bundleWorker(hello.entry);
  const sink = await startOtlpSink();
  const sampleRatio = TracingDefaults.SAMPLE_RATIO;
  const targets: Partial<Record<Side, VergeTarget>> = {};
  try {
    targets.base = await startVerge({ poolSize: options.poolSize });
    targets.variant = await startVerge({ poolSize: options.poolSize, tracing: { endpoint: sink.url, sampleRatio } });
    const labels = { base: "verge, tracing off", variant: "verge, tracing on" };
    for (const side of ["base", "variant"] as const) {
      await targets[side]!.setWorkers([{ name: hello.name, code, routes: [`${hello.host}/*`] }]);
      await verifyTarget(labels[side], targets[side]!.url, hello);
    }
    const result = await loadAlternated(targets as Record<Side, VergeTarget>, labels, hello, options, scratchDir);
    await targets.variant.close(); // Its tracer's close sends what is still queued.
    return {
      sampleRatio,
      offRps: result.base.rps,
      onRps: result.variant.rps,
      costPercent: result.costPercent,
      offCpuUs: result.base.cpuUs,
      onCpuUs: result.variant.cpuUs,
      cpuCostPercent: result.cpuCostPercent,
      runs: result.runs.map((run) => ({ tracing: run.side === "base" ? "off" : "on", rps: run.rps, cpuUs: run.cpuUs })),
      onRequests: result.variant.requests,
      spansExported: sink.spans,
    };
  } finally {
    await Promise.all(Object.values(targets).map((target) => target.close()));
    await sink.close();
  }
}
