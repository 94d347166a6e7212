/**
 * @module Scheduled events (entry `scheduled`): the module form
 * (`export default { scheduled(controller, env, ctx) }`) and the
 * service-worker form (`addEventListener("scheduled", …)`), answered to the
 * host as `ScheduledStatus` says.
 */
import { Op, ScheduledStatus } from "../../bridge/protocol.js";
import { opSyncFor, toWireError } from "./bridge.js";
import { ExecutionContext, scheduledListeners, settleWaits, workerEnv, workerExport } from "./worker.js";

type ScheduledHandler = (controller: ScheduledController, env: unknown, ctx: ExecutionContext) => unknown;

/** The `controller` of a scheduled handler, as Workers' ScheduledController. */
export class ScheduledController {
  readonly type = "scheduled";
  constructor(
    readonly cron: string,
    readonly scheduledTime: number,
  ) {}
  /** Verge never retries a scheduled event, so there is nothing to turn off. */
  noRetry(): void {}
}

/** The event of the service-worker form: the controller's fields and waitUntil. */
class ScheduledEvent extends ScheduledController {
  readonly #ctx: ExecutionContext;
  constructor(cron: string, scheduledTime: number, ctx: ExecutionContext) {
    super(cron, scheduledTime);
    this.#ctx = ctx;
  }
  waitUntil(promise: unknown): void {
    this.#ctx.waitUntil(promise);
  }
}

function moduleHandler(): ScheduledHandler | null {
  const handler = workerExport("default") as { scheduled?: unknown } | undefined;
  return handler && typeof handler.scheduled === "function" ? (handler.scheduled as ScheduledHandler).bind(handler) : null;
}

/** Runs the handler; the service-worker form's result is the work its listeners gave to waitUntil. */
function run(requestId: number, cron: string, scheduledTime: number, waits: Promise<unknown>[]): Promise<unknown> | null {
  const ctx = new ExecutionContext(requestId, waits);
  const handler = moduleHandler();
  try {
    if (handler) return Promise.resolve(handler(new ScheduledController(cron, scheduledTime), workerEnv(), ctx));
    if (scheduledListeners.length === 0) return null;
    const event = new ScheduledEvent(cron, scheduledTime, ctx);
    for (const listener of scheduledListeners) listener(event as never);
    // Taken out of waits: their failure is the event's, reported once.
    return Promise.all(waits.splice(0));
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Entry `scheduled`: run the handler and tell the host how it ended. */
export function dispatchScheduled(requestId: number, cron: string, scheduledTime: number): void {
  const waits: Promise<unknown>[] = [];
  const result = run(requestId, cron, scheduledTime, waits);
  const answer = (status: number) => opSyncFor(requestId, Op.Respond, status, "", "[]", null);
  if (!result) {
    answer(ScheduledStatus.NoHandler);
    void settleWaits(requestId, waits);
    return;
  }
  result
    .then(() => answer(ScheduledStatus.Done))
    .catch((error: unknown) => opSyncFor(requestId, Op.Throw, toWireError(error)))
    .finally(() => settleWaits(requestId, waits));
}
