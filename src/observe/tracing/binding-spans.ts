/**
 * @module Spans for binding calls (`kv.get`, `durable_object.fetch`,
 * `cache.match`, …): each binding op is wrapped once, when the PoP's op
 * table is built. An op called for a request with no trace costs one
 * property read more; otherwise a span starts with the op and ends when it
 * returns, throws, or (an async op) settles.
 */
import type { OpHandler, OpTable } from "../../runtime/ops.js";

function traced(name: string, handler: OpHandler): OpHandler {
  return (context, args) => {
    const trace = context.invocation?.trace;
    if (!trace) return handler(context, args);
    const span = trace.child(name);
    // An async op may settle before it returns: its span waits for the settle from the start.
    const opId = context.opId;
    if (opId !== 0) trace.awaitOp(opId, span);
    let result: unknown;
    try {
      result = handler(context, args);
    } catch (error) {
      if (opId !== 0) trace.opSettled(opId, false, error);
      else span.fail(error instanceof Error ? error.message : String(error));
      throw error;
    }
    // A synchronous op, or an async one that answered at once, ends here; any other async op settles later, through the invocation.
    if (opId === 0) span.end();
    else if (result !== undefined) trace.opSettled(opId, true, result);
    return result;
  };
}

/** `ops` with a span recorded around every op. */
export function traceBindingOps(ops: OpTable): OpTable {
  const wrapped: OpTable = {};
  for (const [name, handler] of Object.entries(ops)) wrapped[name] = traced(name, handler);
  return wrapped;
}
