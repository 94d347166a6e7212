/**
 * @module Distributed tracing: W3C trace context in and out, spans of a
 * request, its subrequests and binding calls, exported over OTLP/HTTP.
 */
export { createTracer, requestFailed, Tracer, type TracerSite } from "./tracer.js";
export { TracingDefaults, TracingError, tracingConfig, type TracingConfig, type TracingOptions } from "./options.js";
export { MAX_CHILD_SPANS, RequestTrace, type FinishedRequest } from "./request-trace.js";
export { SpanRecord, SubrequestSpan } from "./span-record.js";
export { acceptTracestate, formatTraceparent, parseTraceparent, type TraceParent } from "./trace-context.js";
export { traceBindingOps } from "./binding-spans.js";
export { TraceQueueLimits, type TraceExportCounts } from "./trace-queue.js";
