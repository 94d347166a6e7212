/**
 * @module The one function through which the host enters the isolate. It sets
 * the clock and the current request, then dispatches by kind.
 */
import { Entry, type EntryKind, type IncomingBody, type WireInit, type WireSocketEvent } from "../../bridge/protocol.js";
import { dropPendingOps, setCurrentRequest, settle } from "./bridge.js";
import { setClock } from "./clock.js";
import { cancelExportedStream, cancelRequestStreams, pullStream } from "./stream-table.js";
import { dropTimers, fireTimer } from "./timers.js";
import { abortRequest, dispatchFetch, endRequest, initWorker } from "./worker.js";
import { dispatchScheduled } from "./scheduled.js";
import { bindingEventHandlers } from "../bindings.js";
import { deliverSocketEvent, dropSockets } from "../web/websocket.js";

function dispatchBindingEvent(requestId: number, header: unknown, payload: unknown): void {
  const kind = Array.isArray(header) ? header[0] : undefined;
  const handler = typeof kind === "string" && Object.hasOwn(bindingEventHandlers, kind) ? bindingEventHandlers[kind] : undefined;
  if (!handler) throw new TypeError(`No handler for binding events of kind ${String(kind)}`);
  handler(requestId, header as never, payload as never);
}

export function entry(now: number, kind: EntryKind, requestId: number, a: unknown, b: unknown, ended: number[]): void {
  setClock(now);
  setCurrentRequest(requestId);
  try {
    dispatch(kind, requestId, a, b);
  } finally {
    // After the entry's own work, so that an abort entry for a request that has just ended still reaches it.
    for (const id of ended) forget(id);
  }
}

/** Drops an ended request's state: timers, pending ops, the streams the host will not pull again, its abort controller. */
function forget(requestId: number): void {
  dropTimers(requestId);
  dropPendingOps(requestId);
  cancelRequestStreams(requestId);
  endRequest(requestId);
  dropSockets(requestId);
}

function dispatch(kind: EntryKind, requestId: number, a: unknown, b: unknown): void {
  switch (kind) {
    case Entry.Fetch:
      return dispatchFetch(requestId, a as string, b as IncomingBody);
    case Entry.Settle: {
      const [ok, value] = b as [boolean, unknown];
      return settle(a as number, ok, value);
    }
    case Entry.Timer:
      return fireTimer(a as number);
    case Entry.Pull:
      return pullStream(a as number);
    case Entry.CancelStream:
      return cancelExportedStream(a as number);
    case Entry.Abort:
      return abortRequest(requestId);
    case Entry.Init:
      return initWorker(a as WireInit);
    case Entry.Tick:
      return;
    case Entry.WebSocket:
      return deliverSocketEvent(a as number, b as WireSocketEvent);
    case Entry.Binding:
      return dispatchBindingEvent(requestId, a, b);
    case Entry.Scheduled:
      return dispatchScheduled(requestId, a as string, b as number);
  }
}
