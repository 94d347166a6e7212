/**
 * @module A PoP's cron runner: a timer for each next tick of the jobs the PoP
 * hosts; when a tick is due the PoPs race to claim it (claim.ts) and only the
 * winner runs the worker's `scheduled` handler.
 */
import { WORKER_NAME_PATTERN, WORKER_NAME_RULE } from "../config/names.js";
import type { LogLine } from "../runtime/invocation.js";
import type { WorkerRuntime } from "../runtime/worker-runtime.js";
import type { Bucket, SubstrateView } from "../substrate/types.js";
import { claimTick, cronKey, CRON_BUCKET } from "./claim.js";
import { CronError } from "./errors.js";
import { runScheduled, type ScheduledOutcome } from "./run.js";
import { nextTick, parseCron } from "./schedule.js";

/** One worker's schedules at this PoP: the version and runtime its ticks run on. */
export interface CronJob {
  worker: string;
  version: string;
  /** The worker's `triggers.crons`, as configured (each passes `parseCron`). */
  crons: readonly string[];
  runtime: WorkerRuntime;
}

/** A tick this PoP claimed and ran, reported once it has ended (waitUntil work included). */
export interface CronRunReport {
  worker: string;
  version: string;
  cron: string;
  scheduledTime: number;
  pop: string;
  outcome: ScheduledOutcome;
  logs: LogLine[];
  wallMs: number;
  cpuMs: number;
}

/**
 * Why this PoP did not run a due tick: another PoP claimed it (`taken`, the
 * usual case), the claim kept racing (`contended`) or failed (`claim_failed`:
 * the substrate did not answer in time), or the job was removed meanwhile.
 */
export type CronSkipReason = "taken" | "contended" | "claim_failed" | "removed";

export interface CronSkipReport {
  worker: string;
  cron: string;
  scheduledTime: number;
  pop: string;
  reason: CronSkipReason;
  error?: unknown;
}

export interface CronRunnerOptions {
  /** This PoP's view of the substrate shared by every PoP that may host the same jobs. */
  substrate: SubstrateView;
  onRun?: (report: CronRunReport) => void;
  onSkip?: (report: CronSkipReport) => void;
  /** How long a claim may wait for the substrate before the tick is skipped here (default 5000 ms). */
  claimTimeoutMs?: number;
}

/** setTimeout's longest delay; a tick further away is waited for in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** One cron of one worker, armed for its next tick. */
interface Armed {
  key: string;
  cron: string;
  job: CronJob;
  due: number;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Runs the cron triggers of the jobs a PoP hosts, each tick exactly once
 * across every runner sharing the substrate. Give every PoP that may run a
 * worker's crons a runner with the same jobs; one job per worker.
 * @example
 * const runner = new CronRunner({ substrate: pop.substrate, onRun: (run) => log(run) });
 * runner.setJobs([{ worker: "reports", version, crons: ["0 * * * *"], runtime: pop.workers.get("reports")! }]);
 * await runner.close();
 */
export class CronRunner {
  readonly pop: string;
  readonly #options: CronRunnerOptions;
  readonly #armed = new Map<string, Armed>();
  readonly #inFlight = new Set<Promise<void>>();
  #bucket: Promise<Bucket> | null = null;
  #closed = false;

  constructor(options: CronRunnerOptions) {
    this.#options = options;
    this.pop = options.substrate.pop;
  }

  /**
   * Replaces the jobs. A cron kept from the previous jobs keeps its armed
   * tick and runs it on the new job's version; a removed cron stops; a new
   * one is armed for its next tick. Throws `CronError` (`invalid_cron`,
   * `invalid_job`) and changes nothing when a job is bad.
   */
  setJobs(jobs: readonly CronJob[]): void {
    if (this.#closed) throw new CronError("invalid_job", `The cron runner of PoP "${this.pop}" is closed`);
    const next = new Map<string, { cron: string; job: CronJob }>();
    const workers = new Set<string>();
    for (const job of jobs) {
      if (!WORKER_NAME_PATTERN.test(job.worker)) throw new CronError("invalid_job", `Invalid worker name ${JSON.stringify(job.worker)}: ${WORKER_NAME_RULE}`);
      if (workers.has(job.worker)) throw new CronError("invalid_job", `Worker "${job.worker}" has more than one job: give one version per worker`);
      workers.add(job.worker);
      for (const cron of job.crons) next.set(cronKey(job.worker, parseCron(cron)), { cron, job });
    }
    for (const [key, armed] of this.#armed) {
      if (next.has(key)) continue;
      clearTimeout(armed.timer);
      this.#armed.delete(key);
    }
    for (const [key, { cron, job }] of next) {
      const armed = this.#armed.get(key);
      if (armed) {
        armed.job = job;
        armed.cron = cron;
      } else {
        const created: Armed = { key, cron, job, due: 0, timer: undefined };
        this.#armed.set(key, created);
        this.#arm(created, Date.now());
      }
    }
  }

  /** The next tick of each armed cron, for tests and status pages. */
  get schedule(): { worker: string; cron: string; due: number }[] {
    return [...this.#armed.values()].map((armed) => ({ worker: armed.job.worker, cron: armed.cron, due: armed.due }));
  }

  /** Stops every timer; resolves once the ticks under way (claimed or being claimed) have ended. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const armed of this.#armed.values()) clearTimeout(armed.timer);
    await Promise.allSettled([...this.#inFlight]);
    const bucket = this.#bucket;
    this.#bucket = null;
    await bucket?.then((opened) => opened.close()).catch(() => undefined);
  }

  #arm(armed: Armed, after: number): void {
    armed.due = nextTick(armed.cron, after);
    this.#wait(armed);
  }

  #wait(armed: Armed): void {
    const delay = armed.due - Date.now();
    armed.timer = setTimeout(() => (Date.now() < armed.due ? this.#wait(armed) : this.#fire(armed)), Math.min(Math.max(0, delay), MAX_TIMER_MS));
    armed.timer.unref();
  }

  #fire(armed: Armed): void {
    if (this.#closed) return;
    const tick = armed.due;
    this.#arm(armed, Math.max(tick, Date.now()));
    // Only a throwing onRun or onSkip rejects: it must not become an unhandled rejection that ends the PoP.
    const handled = this.#handle(armed.key, armed.job.worker, armed.cron, tick).catch((error: unknown) => process.emitWarning(`A cron report listener threw: ${String(error)}`));
    this.#inFlight.add(handled);
    void handled.finally(() => this.#inFlight.delete(handled));
  }

  async #handle(key: string, worker: string, cron: string, tick: number): Promise<void> {
    const skip = (reason: CronSkipReason, error?: unknown) => this.#options.onSkip?.({ worker, cron, scheduledTime: tick, pop: this.pop, reason, ...(error === undefined ? {} : { error }) });
    let claimed;
    try {
      const signal = AbortSignal.timeout(this.#options.claimTimeoutMs ?? 5000);
      claimed = await claimTick(await this.#openBucket(signal), key, { tick, pop: this.pop, cron }, { signal });
    } catch (error) {
      return skip("claim_failed", error);
    }
    if (claimed !== "won") return skip(claimed);
    // The job as it is now: a deploy since the timer fired runs the tick on the new version.
    const job = this.#armed.get(key)?.job;
    if (!job) return skip("removed");
    const run = await runScheduled(job.runtime, { cron, scheduledTime: tick });
    this.#options.onRun?.({ worker, version: job.version, cron, scheduledTime: tick, pop: this.pop, ...run });
  }

  #openBucket(signal: AbortSignal): Promise<Bucket> {
    const opening = (this.#bucket ??= this.#options.substrate.bucket(CRON_BUCKET, { signal }));
    opening.catch(() => {
      if (this.#bucket === opening) this.#bucket = null; // Try again at the next tick.
    });
    return opening;
  }
}
