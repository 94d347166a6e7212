/**
 * @module setTimeout / setInterval / clear* and queueMicrotask. The host keeps
 * the real timers; each firing is an entry charged to the request that set it.
 */
import { Op } from "../../bridge/protocol.js";
import { currentRequest, opSync, toWireError } from "./bridge.js";

interface Timer {
  callback: (...args: unknown[]) => void;
  args: unknown[];
  delay: number;
  repeat: boolean;
  requestId: number;
}

const timers = new Map<number, Timer>();
let nextTimerId = 1;

function schedule(callback: unknown, delay: unknown, args: unknown[], repeat: boolean): number {
  if (typeof callback !== "function") {
    throw new TypeError(`The "callback" argument must be a function: received ${typeof callback}`);
  }
  const ms = Math.max(0, Math.min(Number(delay) || 0, 2 ** 31 - 1));
  const id = nextTimerId++;
  timers.set(id, { callback: callback as Timer["callback"], args, delay: ms, repeat, requestId: currentRequest() });
  opSync(Op.TimerSet, id, ms);
  return id;
}

function clear(id: unknown): void {
  const key = Number(id);
  if (timers.delete(key)) opSync(Op.TimerClear, key);
}

/** Runs timer `id` (entry kind `timer`); re-arms it if it is an interval. */
export function fireTimer(id: number): void {
  const timer = timers.get(id);
  if (!timer) return;
  if (timer.repeat) opSync(Op.TimerSet, id, timer.delay);
  else timers.delete(id);
  timer.callback(...timer.args);
}

/** Drops the timers of an invocation that is over. */
export function dropTimers(requestId: number): void {
  for (const [id, timer] of timers) if (timer.requestId === requestId) timers.delete(id);
}

export function installTimers(target: Record<string, unknown>): void {
  target.setTimeout = (callback: unknown, delay?: unknown, ...args: unknown[]) => schedule(callback, delay, args, false);
  target.setInterval = (callback: unknown, delay?: unknown, ...args: unknown[]) => schedule(callback, delay, args, true);
  target.clearTimeout = clear;
  target.clearInterval = clear;
  target.queueMicrotask = (callback: unknown) => {
    if (typeof callback !== "function") {
      throw new TypeError(`The "callback" argument must be a function: received ${typeof callback}`);
    }
    Promise.resolve()
      .then(() => (callback as () => void)())
      .catch(reportUncaught);
  };
}

/** An exception from a microtask is reported, as V8 reports it, and does not fail the request. */
function reportUncaught(error: unknown): void {
  const wire = toWireError(error);
  opSync(Op.Log, "error", `Uncaught ${wire.stack ?? `${wire.name}: ${wire.message}`}`);
}
