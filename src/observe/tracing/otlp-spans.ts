/**
 * @module A finished request trace as OpenTelemetry `ReadableSpan`s, the
 * shape the OTLP exporter serializes: the request's span (kind server, its
 * parent the caller's span when a traceparent came in) and its children.
 * Runs off the request path, only for traces that are exported.
 */
import { SpanKind, SpanStatusCode, TraceFlags, type Attributes, type SpanContext } from "@opentelemetry/api";
import { hrTimeDuration, millisToHrTime, TraceState, type InstrumentationScope } from "@opentelemetry/core";
import type { Resource } from "@opentelemetry/resources";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import type { RequestTrace } from "./request-trace.js";
import { clock } from "./span-record.js";

interface SpanShape {
  name: string;
  kind: SpanKind;
  spanId: string;
  startMs: number;
  endMs: number;
  status: SpanStatusCode;
  message: string | undefined;
  attributes: Attributes;
}

function readable(shape: SpanShape, context: SpanContext, parent: SpanContext | undefined, resource: Resource, scope: InstrumentationScope): ReadableSpan {
  // A span still open when its trace is exported (an op that never settled) ends now and says so.
  const attributes = shape.endMs === 0 ? { ...shape.attributes, "verge.span.unfinished": true } : shape.attributes;
  const startTime = millisToHrTime(shape.startMs);
  const endTime = millisToHrTime(shape.endMs === 0 ? Math.max(shape.startMs, clock()) : shape.endMs);
  const own = { ...context, spanId: shape.spanId };
  return {
    name: shape.name,
    kind: shape.kind,
    spanContext: () => own,
    parentSpanContext: parent,
    startTime,
    endTime,
    duration: hrTimeDuration(startTime, endTime),
    status: shape.message === undefined ? { code: shape.status } : { code: shape.status, message: shape.message },
    attributes,
    links: [],
    events: [],
    ended: true,
    resource,
    instrumentationScope: scope,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

function requestShape(trace: RequestTrace): SpanShape {
  const request = trace.request!;
  const attributes: Attributes = {
    "http.request.method": request.method,
    "url.path": request.path.split("?", 1)[0],
    "http.response.status_code": request.status,
    "verge.pop": request.pop,
    "verge.ray": request.ray,
    "verge.outcome": request.outcome,
    "verge.cpu_ms": request.cpuMs,
  };
  if (request.worker !== null) attributes["verge.worker"] = request.worker;
  if (request.version !== null) attributes["verge.version"] = request.version;
  if (trace.droppedChildren > 0) attributes["verge.dropped_spans"] = trace.droppedChildren;
  const failure = trace.failed ? (request.outcome === "ok" ? `HTTP ${request.status}` : request.outcome) : undefined;
  return {
    name: `${request.method} ${request.worker ?? ""}`.trimEnd(),
    kind: SpanKind.SERVER,
    spanId: trace.spanId,
    startMs: trace.startMs,
    endMs: trace.endMs,
    status: failure === undefined ? SpanStatusCode.UNSET : SpanStatusCode.ERROR,
    message: failure,
    attributes,
  };
}

/** The spans of one exported trace, the request's first. */
export function toReadableSpans(trace: RequestTrace, resource: Resource, scope: InstrumentationScope): ReadableSpan[] {
  const context: SpanContext = {
    traceId: trace.traceId,
    spanId: trace.spanId,
    traceFlags: trace.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    traceState: trace.tracestate === undefined ? undefined : new TraceState(trace.tracestate),
  };
  const remoteParent = trace.parentId === undefined ? undefined : { ...context, spanId: trace.parentId, isRemote: true };
  const spans = [readable(requestShape(trace), context, remoteParent, resource, scope)];
  for (const child of trace.children) spans.push(readable(child, context, context, resource, scope));
  return spans;
}
