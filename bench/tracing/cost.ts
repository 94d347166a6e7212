/**
 * @module What tracing costs (`--only tracing`): hello world on two Verge
 * PoPs (child processes), one with tracing off and one exporting to a
 * loopback collector at the default 5% sampling, loaded with wrk in turn
 * (off, on, on, off, on, off, off, on: a drift of the machine weighs on both
 * alike). The cost is the drop in requests per second from off to on; the
 * PoP's CPU time per request (from /proc, less sensitive to a busy machine
 * than throughput) is given beside it.
 */
import { readFileSync } from "node:fs";
import { bundleWorker } from "../../src/bundler/index.js";
import { TracingDefaults } from "../../src/observe/tracing/index.js";
import { verifyTarget } from "../load/verify.js";
import { runWrk } from "../load/wrk.js";
import type { BenchOptions } from "../options.js";
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

/** User plus system CPU seconds of process `pid` so far (Linux). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  // utime and stime are fields 14 and 15 of the line, 12 and 13 after "pid (comm) ", in clock ticks (100 a second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const ORDER = ["off", "on", "on", "off", "on", "off", "off", "on"] as const;

export async function runTracingCost(options: BenchOptions, scratchDir: string): Promise<TracingCostResult> {
  const hello = WORKLOADS.find((w) => w.name === "hello")!;
  const { code } = await bundleWorker(hello.entry);
  const sink = await startOtlpSink();
  const sampleRatio = TracingDefaults.SAMPLE_RATIO;
  const targets: Partial<Record<(typeof ORDER)[number], VergeTarget>> = {};
  try {
    targets.off = await startVerge({ poolSize: options.poolSize });
    targets.on = await startVerge({ poolSize: options.poolSize, tracing: { endpoint: sink.url, sampleRatio } });
    const totals = { off: { requests: 0, seconds: 0, cpu: 0 }, on: { requests: 0, seconds: 0, cpu: 0 } };
    const runs: TracingCostResult["runs"] = [];
    for (const [name, target] of Object.entries(targets)) {
      await target.setWorkers([{ name: hello.name, code, routes: [`${hello.host}/*`] }]);
      await verifyTarget(`verge (tracing ${name})`, target.url, hello);
    }
    const load = (target: VergeTarget, durationS: number) => runWrk({ url: `${target.url}/`, host: hello.host, threads: options.threads, connections: options.connections, durationS, scratchDir });
    if (options.warmupS > 0) for (const target of Object.values(targets)) await load(target, options.warmupS);
    for (const name of ORDER) {
      process.stderr.write(`bench: hello on verge, tracing ${name} (${options.durationS} s)\n`);
      const cpuBefore = cpuSeconds(targets[name]!.pid);
      const result = await load(targets[name]!, options.durationS);
      const cpu = cpuSeconds(targets[name]!.pid) - cpuBefore;
      if (result.errors > 0) throw new Error(`wrk counted ${result.errors} errors with tracing ${name}`);
      totals[name].requests += result.requests;
      totals[name].seconds += options.durationS;
      totals[name].cpu += cpu;
      runs.push({ tracing: name, rps: result.requests / options.durationS, cpuUs: (cpu / result.requests) * 1e6 });
    }
    const offRps = totals.off.requests / totals.off.seconds;
    const onRps = totals.on.requests / totals.on.seconds;
    const offCpuUs = (totals.off.cpu / totals.off.requests) * 1e6;
    const onCpuUs = (totals.on.cpu / totals.on.requests) * 1e6;
    await targets.on.close(); // Its tracer's close sends what is still queued.
    return { sampleRatio, offRps, onRps, costPercent: ((offRps - onRps) / offRps) * 100, offCpuUs, onCpuUs, cpuCostPercent: ((onCpuUs - offCpuUs) / offCpuUs) * 100, runs, onRequests: totals.on.requests, spansExported: sink.spans };
  } finally {
    await Promise.all(Object.values(targets).map((target) => target.close()));
    await sink.close();
  }
}
