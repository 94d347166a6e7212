/**
 * @module The bridge between the host and an isolate. Only copied data crosses
 * it: primitives, plain objects, arrays and Uint8Arrays. Nothing of
 * isolated-vm is ever visible to tenant code.
 *
 * Host → isolate: one entry function, `entry(now, kind, requestId, a, b, ended)`,
 * called synchronously; microtasks drain before it returns. Each call is one
 * "entry" and its CPU time is charged to `requestId`. `ended` lists the
 * invocations that ended since the previous entry, so that ending one costs
 * no entry of its own.
 *
 * Isolate → host: one synchronous function, `op(name, requestId, opId, args)`.
 * `opId` 0 means a synchronous op whose return value is the result; any other
 * `opId` is an async op that the host settles later with an entry of kind
 * `settle`. Ops are named `<area>.<verb>`; bindings add their own.
 */

/** Kinds of host → isolate entries. */
export const Entry = {
  /** a: JSON of IncomingMeta, b: IncomingBody — start a fetch event. */
  Fetch: "fetch",
  /** a: opId, b: [ok, value] — settle an async op. */
  Settle: "settle",
  /** a: timerId — run a timer callback. */
  Timer: "timer",
  /** a: streamId — read one chunk of an isolate stream; answered by op stream.chunk. */
  Pull: "pull",
  /** a: streamId — the host no longer wants an isolate stream. */
  CancelStream: "cancel-stream",
  /** Nothing: an entry only to deliver `ended`. */
  Tick: "tick",
  /** The client went away: abort request.signal. */
  Abort: "abort",
  /** a: WireInit — give the loaded worker its env (vars, secrets, binding descriptors). */
  Init: "init",
  /** a: a binding's event header, b: its payload — an event for a binding's own code in the isolate (a Durable Object's fetch, call or alarm). */
  Binding: "binding",
  /** a: socket id, b: WireSocketEvent — a frame from the peer of a WebSocket the isolate returned in a Response. */
  WebSocket: "websocket",
  /** a: the cron expression, b: the scheduled time (ms) — run the worker's `scheduled` handler; answered as ScheduledStatus says. */
  Scheduled: "scheduled",
} as const;
export type EntryKind = (typeof Entry)[keyof typeof Entry];

/** Header list as pairs, in order, lower-cased names. */
export type WireHeaders = [string, string][];

/**
 * A body on the wire: inline bytes or text (small, already complete), a
 * stream id (read with `stream.read` or pulled with entry `pull`, by
 * direction), or none.
 */
export type WireBody = { bytes: Uint8Array } | { text: string } | { stream: number } | null;

/**
 * An incoming request as entry `fetch` carries it, in the form cheapest to copy:
 * `a` is the JSON text of `[method, url, cfJson, name1, value1, name2, …]`
 * (a string crosses in a fraction of the time a nested object does) and `b` is
 * the body: bytes, a host stream id, or null.
 */
export type IncomingMeta = [method: string, url: string, cfJson: string, ...flatHeaders: string[]];
export type IncomingBody = Uint8Array | number | null;

/** A request the isolate sends with fetch(). */
export interface WireRequest {
  method: string;
  url: string;
  headers: WireHeaders;
  body: WireBody;
  cf?: Record<string, unknown>;
}

export interface WireResponse {
  status: number;
  statusText: string;
  headers: WireHeaders;
  /** For responses from the isolate a stream id is an isolate stream pulled with entry `pull`. */
  body: WireBody;
  url?: string;
  redirected?: boolean;
}


/**
 * How the isolate answers entry `scheduled`: `core.respond` with an empty
 * body and one of these statuses, or `core.throw` when the handler threw.
 */
export const ScheduledStatus = {
  /** The handler's promise resolved. */
  Done: 204,
  /** The worker exports no `scheduled` handler and listens to no "scheduled" event. */
  NoHandler: 501,
} as const;

/** A thrown error, copied. */
export interface WireError {
  name: string;
  message: string;
  stack?: string;
}

/** Ops of the core runtime; bindings add `<binding>.<verb>` ops of their own. */
export const Op = {
  /** (status, statusText, JSON of flat headers, body: bytes | text | isolate stream id | null, socket id of a 101's WebSocket?) */
  Respond: "core.respond",
  Throw: "core.throw",
  Log: "core.log",
  WaitUntil: "core.waitUntil",
  PassThrough: "core.passThroughOnException",
  TimerSet: "timer.set",
  TimerClear: "timer.clear",
  StreamRead: "stream.read",
  StreamCancel: "stream.cancel",
  StreamChunk: "stream.chunk",
  Fetch: "fetch.start",
  /** args: fetchId — the isolate aborted (its AbortSignal) the fetch it started with that id. */
  FetchAbort: "fetch.abort",
  Random: "crypto.random",
  Subtle: "crypto.subtle",
  DomainToAscii: "url.domainToAscii",
  DomainToUnicode: "url.domainToUnicode",
  /** () → socket id: the running request returns a WebSocket in its Response (then core.respond names it). */
  WebSocketCreate: "ws.create",
  /** (socket id, text | bytes) */
  WebSocketSend: "ws.send",
  /** (socket id, code | null, reason) */
  WebSocketClose: "ws.close",
  /** (value) — checks a WebSocket attachment (serializeAttachment) against its size limit. */
  WebSocketAttachment: "ws.attachment",
} as const;

/** Name of the global through which the host hands its one op function to the prelude. */
export const HOST_GLOBAL = "__verge_host";
/** Name of the global the prelude leaves for the host: the entry function, removed once taken. */
export const ENTRY_GLOBAL = "__verge_entry";
/** Name under which a bundled worker leaves its module namespace (esbuild globalName). */
export const WORKER_GLOBAL = "__verge_worker";

/** What the host gives a loaded worker: plain env values, and binding descriptors for shims. */
export interface WireInit {
  env: Record<string, unknown>;
  bindings: { name: string; kind: string; config: unknown }[];
  pop: string;
}

/**
 * A WebSocket frame entering the isolate (entry `websocket`): a message as
 * text or bytes (bare, the cheapest to copy), the peer's close, or an error.
 */
export type WireSocketEvent = string | Uint8Array | { close: [code: number, reason: string, wasClean: boolean] } | { error: string };

/**
 * Close codes a worker may send (RFC 6455 §7.4: those defined for endpoints
 * to send, and 3000 to 4999 for libraries and applications), as workerd
 * allows them.
 */
export function isSendableCloseCode(code: number): boolean {
  return Number.isInteger(code) && ((code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999));
}
export const SENDABLE_CLOSE_CODES = "1000 to 1003, 1007 to 1014, or 3000 to 4999";

/** WebSocket limits, as Workers has them; both sides check them. */
export const WebSocketLimits = {
  /** One message, either way. */
  MAX_MESSAGE_BYTES: 1024 * 1024,
  /** A close reason, in UTF-8 (RFC 6455: a control frame's payload is 125 bytes, 2 of them the code). */
  MAX_CLOSE_REASON_BYTES: 123,
  /** A WebSocket's attachment (serializeAttachment), serialized. */
  MAX_ATTACHMENT_BYTES: 2048,
} as const;
