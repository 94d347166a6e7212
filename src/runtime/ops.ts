/**
 * @module Host ops: the functions tenant code reaches through the prelude.
 * Core ops and every binding's ops are registered in one table by name.
 * Arguments come from untrusted code: each op validates what it receives.
 */
import type { BindingDescriptor } from "../bindings/types.js";
import type { Invocation } from "./invocation.js";

export interface OpContext {
  /** The invocation the op was called for (absent during worker start-up). */
  invocation: Invocation | undefined;
  /**
   * Non-zero for an async op: settle it with `invocation.settle(opId, …)`, or
   * return the result at once (anything but undefined) when it is ready.
   */
  opId: number;
  /**
   * The bindings of the worker whose isolate called. A binding op must serve
   * only these: tenant code can build a shim for any id it likes.
   */
  bindings: readonly BindingDescriptor[];
  /** The name of the worker whose isolate called (scopes per-tenant state such as its cache). */
  worker: string;
}

export type OpHandler = (context: OpContext, args: unknown[]) => unknown;
export type OpTable = Record<string, OpHandler>;

/** Thrown to tenant code when an op is called with bad arguments. */
export class OpArgumentError extends TypeError {}

export function expectNumber(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new OpArgumentError(`${what} must be a number: received ${typeof value}`);
  return value;
}

export function expectString(value: unknown, what: string): string {
  if (typeof value !== "string") throw new OpArgumentError(`${what} must be a string: received ${typeof value}`);
  return value;
}

export function requireInvocation(context: OpContext, op: string): Invocation {
  if (!context.invocation) throw new OpArgumentError(`${op} can only be used while handling a request`);
  return context.invocation;
}
