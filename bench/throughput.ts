/**
 * @module Throughput and latency: each workload on each target (Verge, workerd,
 * bare node:http), one target process at a time, with wrk from this process
 * tree: a warm-up run, then the measured run.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { bundleWorker } from "../src/bundler/index.js";
import { runWrk, type WrkResult } from "./load/wrk.js";
import { mainThreadProfile } from "./profile.js";
import { verifyTarget } from "./load/verify.js";
import type { BenchOptions } from "./options.js";
import { startNode } from "./targets/node.js";
import type { Target, TargetName } from "./targets/target.js";
import { startVerge } from "./targets/verge.js";
import { startWorkerd, writeConfig } from "./targets/workerd.js";
import { WORKLOADS, type Workload } from "./workloads.js";

/** One workload on one target: wrk's figures, or why there are none. */
export interface ThroughputRow {
  workload: Workload["name"];
  target: TargetName;
  result?: Omit<WrkResult, "raw">;
  error?: string;
  /** The V8 CPU profile of the Verge child's main thread, when --cpu-prof. */
  profile?: string;
}

export const TARGETS: readonly TargetName[] = ["verge", "workerd", "node"];

interface RunContext {
  options: BenchOptions;
  scratchDir: string;
  /** Where --cpu-prof profiles go (one folder per workload under it). */
  profileDir?: string;
}

async function startTarget(name: TargetName, workload: Workload, ctx: RunContext): Promise<Target & { profileDir?: string }> {
  if (name === "verge") {
    const profileDir = ctx.profileDir && join(ctx.profileDir, `verge-${workload.name}`);
    const verge = await startVerge({ poolSize: ctx.options.poolSize, cpuProfileDir: profileDir });
    try {
      const { code } = await bundleWorker(workload.entry);
      await verge.setWorkers([{ name: workload.name, code, routes: [`${workload.host}/*`] }]);
    } catch (error) {
      await verge.close();
      throw error;
    }
    return { ...verge, profileDir };
  }
  if (name === "workerd") {
    const dir = join(ctx.scratchDir, `workerd-${workload.name}`);
    mkdirSync(dir, { recursive: true });
    return startWorkerd(writeConfig(dir, [{ name: "main", file: workload.entry }], "main"));
  }
  return startNode();
}

async function measure(name: TargetName, workload: Workload, ctx: RunContext): Promise<ThroughputRow> {
  const { options } = ctx;
  const row: ThroughputRow = { workload: workload.name, target: name };
  let target: (Target & { profileDir?: string }) | undefined;
  try {
    target = await startTarget(name, workload, ctx);
    await verifyTarget(name, target.url, workload);
    const load = { url: `${target.url}/`, host: workload.host, threads: options.threads, connections: options.connections, postBody: workload.body, scratchDir: ctx.scratchDir };
    if (options.warmupS > 0) await runWrk({ ...load, durationS: options.warmupS });
    const { raw, ...result } = await runWrk({ ...load, durationS: options.durationS });
    row.result = result;
    if (result.errors > 0) process.stderr.write(`bench: ${name} ${workload.name}: wrk counted ${result.errors} errors\n${raw}\n`);
  } catch (error) {
    row.error = error instanceof Error ? error.message : String(error);
    process.stderr.write(`bench: ${name} ${workload.name} failed: ${row.error}\n`);
  } finally {
    await target?.close();
  }
  if (target?.profileDir) row.profile = mainThreadProfile(target.profileDir, target.pid);
  return row;
}

/** Runs every workload on every target, in order; a target that fails gets an error row and the run goes on. */
export async function runThroughput(ctx: RunContext): Promise<ThroughputRow[]> {
  const rows: ThroughputRow[] = [];
  for (const workload of WORKLOADS) {
    for (const name of TARGETS) {
      process.stderr.write(`bench: ${workload.name} on ${name} (${ctx.options.warmupS} s warm-up, ${ctx.options.durationS} s measured)\n`);
      rows.push(await measure(name, workload, ctx));
    }
  }
  return rows;
}
