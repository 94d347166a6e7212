/**
 * @module W3C Trace Context (https://www.w3.org/TR/trace-context/): the
 * `traceparent` header parsed strictly and formatted, and `tracestate` kept
 * only when it is well-formed enough to pass along. A header that does not
 * parse is ignored: the request starts a new trace.
 */

/** What a valid `traceparent` carries. */
export interface TraceParent {
  traceId: string;
  /** The caller's span: the parent of ours. */
  parentId: string;
  sampled: boolean;
}

/** version "-" trace-id "-" parent-id "-" trace-flags, all lower-case hex; a later version may append "-" fields. */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE_ID = "0".repeat(32);
const ZERO_SPAN_ID = "0".repeat(16);
/** The spec's limit on list members is 32; 512 characters is what it says a platform must propagate. */
const TRACESTATE_MAX = 512;
const TRACESTATE = /^[\x20-\x7e]*$/;

/**
 * Parses a `traceparent` value; null when it is absent or invalid. Version
 * 00 must be exactly the four fields; version ff is invalid; a higher
 * version is read by its first four fields, as the spec asks.
 * @example parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
 */
export function parseTraceparent(value: string | string[] | undefined): TraceParent | null {
  // Several traceparent headers are invalid (node:http keeps repeats of unknown headers in one joined string).
  if (typeof value !== "string") return null;
  const match = TRACEPARENT.exec(value);
  if (!match) return null;
  const [, version, traceId, parentId, flags, rest] = match;
  if (version === "ff" || (version === "00" && rest !== undefined)) return null;
  if (traceId === ZERO_TRACE_ID || parentId === ZERO_SPAN_ID) return null;
  return { traceId, parentId, sampled: (parseInt(flags, 16) & 1) === 1 };
}

/** A version 00 `traceparent` naming `spanId` as the parent of whatever the receiver does. */
export function formatTraceparent(traceId: string, spanId: string, sampled: boolean): string {
  return `00-${traceId}-${spanId}-${sampled ? "01" : "00"}`;
}

/** The `tracestate` to pass along with a valid `traceparent`: printable ASCII within the length a platform must carry; otherwise none. */
export function acceptTracestate(value: string | string[] | undefined): string | undefined {
  if (typeof value !== "string" || value.length === 0 || value.length > TRACESTATE_MAX || !TRACESTATE.test(value)) return undefined;
  return value;
}
