/**
 * @module One scheduled event, start to end: the invocation of the worker's
 * `scheduled` handler, its waitUntil work, and what it came to.
 */
import { ScheduledStatus } from "../runtime/bridge/protocol.js";
import { PlatformErrorStatus, VergeError, type PlatformErrorCode } from "../errors.js";
import type { Invocation, InvocationOutcome, LogLine } from "../runtime/invocation.js";
import type { ScheduledEvent, WorkerRuntime } from "../runtime/worker-runtime.js";

/** Why a scheduled event failed: a platform code, or a worker without a `scheduled` handler. */
export type ScheduledFailureCode = PlatformErrorCode | "no_scheduled_handler";

export type ScheduledOutcome = { ok: true } | { ok: false; code: ScheduledFailureCode; message: string };

/** A finished scheduled event. `logs` include what its waitUntil work logged. */
export interface ScheduledRun {
  outcome: ScheduledOutcome;
  logs: LogLine[];
  cpuMs: number;
  wallMs: number;
}

/** What an invocation of `WorkerRuntime.scheduled` came to (see ScheduledStatus). */
export function scheduledOutcome(worker: string, outcome: InvocationOutcome): ScheduledOutcome {
  if (!outcome.ok) return { ok: false, code: outcome.code, message: outcome.message };
  if (outcome.response.status === ScheduledStatus.Done) return { ok: true };
  if (outcome.response.status === ScheduledStatus.NoHandler) {
    return { ok: false, code: "no_scheduled_handler", message: `Worker "${worker}" has no scheduled handler: export default { scheduled(controller, env, ctx) { … } }` };
  }
  return { ok: false, code: "internal_error", message: `The worker answered a scheduled event with status ${outcome.response.status}` };
}

function startFailure(error: unknown): ScheduledOutcome {
  const code = error instanceof VergeError && Object.hasOwn(PlatformErrorStatus, error.code) ? (error.code as PlatformErrorCode) : "internal_error";
  return { ok: false, code, message: error instanceof Error ? error.message : String(error) };
}

/**
 * Runs one scheduled event on `runtime` and resolves when it has ended: the
 * handler settled and its waitUntil work too (or ran out of its time limit).
 * Never rejects: a worker that fails to start is a failed outcome.
 * @example const run = await runScheduled(runtime, { cron: "0 * * * *", scheduledTime: Date.now() });
 */
export async function runScheduled(runtime: WorkerRuntime, event: ScheduledEvent): Promise<ScheduledRun> {
  const started = performance.now();
  let invocation: Invocation;
  try {
    const starting = runtime.scheduled(event);
    invocation = starting instanceof Promise ? await starting : starting;
  } catch (error) {
    return { outcome: startFailure(error), logs: [], cpuMs: 0, wallMs: performance.now() - started };
  }
  const ended = new Promise<void>((resolve) => (invocation.ended ? resolve() : invocation.onEnd(resolve)));
  const outcome = scheduledOutcome(runtime.definition.name, await invocation.outcome);
  invocation.responseFinished();
  await ended;
  return { outcome, logs: invocation.logs, cpuMs: invocation.cpuMs, wallMs: performance.now() - started };
}
