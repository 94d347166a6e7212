/**
 * @module Test support for the cron tests: one CronRunner per PoP over the
 * same jobs, every report collected, and the exactly-once check.
 */
import assert from "node:assert/strict";
import { CronRunner, type CronRunReport, type CronSkipReport } from "../../src/cron/index.js";
import type { WorkerRuntime } from "../../src/runtime/worker-runtime.js";
import type { SubstrateView } from "../../src/substrate/types.js";
import { until } from "../support/network.js";

/** Where a runner runs: a PoP's substrate view and its runtime of the worker. */
export interface RunnerSite {
  substrate: SubstrateView;
  runtime: WorkerRuntime;
}

export interface Runners {
  runners: CronRunner[];
  runs: CronRunReport[];
  skips: CronSkipReport[];
  /** Gives every runner the job again (a deploy), as `version`. */
  deploy(version: string): void;
  /** Resolves once `count` runs were reported (fails after `timeoutMs`). */
  runsReach(count: number, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export function startRunners(sites: RunnerSite[], crons: string[], version = "v1"): Runners {
  const runs: CronRunReport[] = [];
  const skips: CronSkipReport[] = [];
  const runners = sites.map((site) => new CronRunner({ substrate: site.substrate, onRun: (run) => runs.push(run), onSkip: (skip) => skips.push(skip) }));
  const deploy = (next: string) => runners.forEach((runner, i) => runner.setJobs([{ worker: sites[i].runtime.definition.name, version: next, crons, runtime: sites[i].runtime }]));
  deploy(version);
  return {
    runners,
    runs,
    skips,
    deploy,
    runsReach: async (count, timeoutMs) => void (await until(async () => runs.length >= count, `${count} cron runs (saw ${runs.length})`, timeoutMs)),
    close: async () => void (await Promise.all(runners.map((runner) => runner.close()))),
  };
}

/**
 * Checks, after the runners closed, that each tick ran exactly once with no
 * gap of `periodMs` between the first and the last, that every other PoP that
 * reached a tick found it taken, and answers the ticks in order.
 */
export function assertExactlyOnce(runners: Runners, periodMs: number): number[] {
  const ticks = runners.runs.map((run) => run.scheduledTime).sort((a, b) => a - b);
  assert.equal(new Set(ticks).size, ticks.length, `a tick ran twice: ${ticks.join(", ")}`);
  for (let i = 1; i < ticks.length; i++) assert.equal(ticks[i] - ticks[i - 1], periodMs, `a tick was dropped: ${ticks.join(", ")}`);
  for (const tick of ticks) assert.equal(tick % periodMs, 0, `tick ${tick} is not aligned to ${periodMs} ms`);
  const skipped = runners.skips.filter((skip) => skip.reason !== "taken");
  assert.deepEqual(skipped, [], "every skip is a tick another PoP took");
  for (const skip of runners.skips) assert.ok(ticks.includes(skip.scheduledTime), `tick ${skip.scheduledTime} was taken but never ran`);
  return ticks;
}
