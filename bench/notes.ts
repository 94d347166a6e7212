/** @module The notes under the table: how to read the cold-start and memory columns, how each part was taken, noise, profiles, failures. */
import type { VergeColdResult } from "./cold-start.js";
import type { WorkerdColdResult } from "./cold-start-workerd.js";
import type { DeployLatencyResult } from "./deploy/latency.js";
import { deployNotes } from "./deploy/report.js";
import type { NetworkResult } from "./network/index.js";
import { networkNotes } from "./network/report.js";
import type { BenchOptions } from "./options.js";
import type { PlatformCostResult } from "./platform/cost.js";
import { platformNotes } from "./platform/report.js";
import type { SelfTime } from "./profile.js";
import type { TracingCostResult } from "./tracing/cost.js";
import { tracingNotes } from "./tracing/report.js";

export interface NotesInput {
  options: BenchOptions;
  vergeCold?: VergeColdResult;
  workerdCold?: WorkerdColdResult;
  network?: NetworkResult;
  tracing?: TracingCostResult;
  platform?: PlatformCostResult;
  deploy?: DeployLatencyResult;
  profiles: { workload: string; file: string; totalMs: number; functions: SelfTime[] }[];
  errors: string[];
  loadBefore: number[];
  loadAfter: number[];
}

function profileLines(profile: NotesInput["profiles"][number]): string[] {
  const top = profile.functions.map((f) => `    ${f.percent.toFixed(1).padStart(5)}%  ${f.ms.toFixed(0).padStart(6)} ms  ${f.fn}${f.where ? `  ${f.where}` : ""}`);
  return [`Verge ${profile.workload}: top self time of ${profile.totalMs.toFixed(0)} ms non-idle CPU (${profile.file}):\n${top.join("\n")}`];
}

export function noteLines(input: NotesInput): string[] {
  const { vergeCold: v, workerdCold: w } = input;
  const notes: string[] = [];
  if (input.options.parts.throughput || input.options.parts.cold) {
    notes.push("Ratios are Verge / peer: above 1x is better for req/s, below 1x is better for latency and memory. The machine is shared: compare ratios, not absolute figures.");
  }
  if (v) {
    notes.push(`Verge cold start: first request to each of ${v.cold.workers} never-loaded workers, sequential over ${v.cold.connections} keep-alive connection(s), client-side time to the full response (mean ${v.cold.meanMs.toFixed(2)} ms, max ${v.cold.maxMs.toFixed(2)} ms).`);
    notes.push(`Verge memory: RSS ${v.memory.rssBeforeMb.toFixed(1)} MB before loading any worker, ${v.memory.rssAfterMb.toFixed(1)} MB with ${v.memory.loaded ?? "?"} isolates loaded and idle (eviction off).`);
  }
  if (w) {
    notes.push(`* workerd compiles every worker before it listens (start-up ${w.startupAllMs.toFixed(0)} ms with ${w.firstRequest.workers} workers vs ${w.startupOneMs.toFixed(0)} ms with 1: ${w.loadPerWorkerMs.toFixed(2)} ms per worker), so it has no per-request cold start; its column is the first request to each already-compiled worker, through a dispatcher worker (one service-binding hop).`);
    notes.push(`workerd memory: RSS ${w.rssOneMb.toFixed(1)} MB with 1 worker, ${w.rssAllMb.toFixed(1)} MB with ${w.firstRequest.workers} after one request each.`);
  } else if (input.options.skipWorkerdCold && input.options.parts.cold) {
    notes.push("workerd cold start and memory skipped (--no-workerd-cold).");
  }
  if (input.network) notes.push(...networkNotes(input.network));
  if (input.tracing) notes.push(...tracingNotes(input.tracing));
  if (input.platform) notes.push(...platformNotes(input.platform));
  if (input.deploy) notes.push(...deployNotes(input.deploy));
  notes.push(`Load average before ${input.loadBefore.join(" ")}, after ${input.loadAfter.map((l) => l.toFixed(2)).join(" ")}.`);
  for (const profile of input.profiles) notes.push(...profileLines(profile));
  for (const error of input.errors) notes.push(`ERROR ${error}`);
  return notes;
}
