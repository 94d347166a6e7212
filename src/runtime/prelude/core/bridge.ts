/**
 * @module The isolate side of the bridge: ops to the host and settling of async
 * ops. The host's op function is taken from the global once and removed, so
 * tenant code can never call it.
 */
import { HOST_GLOBAL, type WireError } from "../../bridge/protocol.js";

type HostOp = (name: string, requestId: number, opId: number, args: unknown[]) => unknown;

const g = globalThis as unknown as Record<string, unknown>;
const hostOp = g[HOST_GLOBAL] as HostOp;
delete g[HOST_GLOBAL];

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
  requestId: number;
}

const pending = new Map<number, Pending>();
let nextOpId = 1;
let current = 0;

/** The request on whose behalf the isolate is running now (0: none). */
export function currentRequest(): number {
  return current;
}

export function setCurrentRequest(requestId: number): void {
  current = requestId;
}

/** A synchronous op for the running request: its result is the host's return value, copied. */
export function opSync<T = unknown>(name: string, ...args: unknown[]): T {
  return hostOp(name, current, 0, args) as T;
}

/**
 * A synchronous op for a given request. A continuation can run in another
 * request's entry (two requests awaiting one shared promise), so what belongs
 * to a request (its response, its body streams) names it explicitly.
 */
export function opSyncFor<T = unknown>(requestId: number, name: string, ...args: unknown[]): T {
  return hostOp(name, requestId, 0, args) as T;
}

/** An async op for the running request: the host settles it later with an entry of kind `settle`. */
export function opAsync<T = unknown>(name: string, ...args: unknown[]): Promise<T> {
  return startAsyncOp<T>(current, name, args);
}

/** An async op for a given request (see opSyncFor). */
export function opAsyncFor<T = unknown>(requestId: number, name: string, ...args: unknown[]): Promise<T> {
  return startAsyncOp<T>(requestId, name, args);
}

// Takes the argument list as is: spreading it again would run Array.prototype[Symbol.iterator], which tenant code can replace.
function startAsyncOp<T>(requestId: number, name: string, args: unknown[]): Promise<T> {
  const opId = nextOpId++;
  const promise = new Promise<T>((resolve, reject) => {
    pending.set(opId, { resolve, reject, requestId });
  });
  let now: unknown;
  try {
    now = hostOp(name, requestId, opId, args);
  } catch (error) {
    pending.delete(opId);
    throw error;
  }
  // The host may answer at once (anything but undefined) instead of settling later.
  if (now !== undefined) settle(opId, true, now);
  return promise;
}

/** Forgets the async ops of an ended request: the host will never settle them. */
export function dropPendingOps(requestId: number): void {
  for (const [opId, op] of pending) if (op.requestId === requestId) pending.delete(opId);
}

/** Called by the entry function when the host settles an async op. */
export function settle(opId: number, ok: boolean, value: unknown): void {
  const op = pending.get(opId);
  if (!op) return;
  pending.delete(opId);
  if (ok) op.resolve(value);
  else op.reject(fromWireError(value as WireError));
}

const errorClasses: Record<string, ErrorConstructor> = {
  TypeError,
  RangeError,
  SyntaxError,
  Error,
};

/** Rebuilds an error copied from the host, keeping its class when it is a standard one. */
export function fromWireError(wire: WireError): Error {
  if (wire.name && globalThis.DOMException && !(wire.name in errorClasses)) {
    return new DOMException(wire.message, wire.name);
  }
  const Class = errorClasses[wire.name] ?? Error;
  return new Class(wire.message);
}

/** Copies an error to send it to the host. */
export function toWireError(error: unknown): WireError {
  if (error instanceof Error) {
    return { name: error.name, message: String(error.message), stack: error.stack === undefined ? undefined : String(error.stack) };
  }
  return { name: "Error", message: String(error) };
}
