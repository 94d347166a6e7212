/**
 * @module A PoP's tracer: starts a request's trace from its headers, decides
 * at the end of the request whether it is exported, and queues it for the
 * OTLP exporter.
 *
 * Why not the OpenTelemetry SDK's tracer: its sampler decides when a span
 * starts, and a span it did not record cannot be exported later, but every
 * failed request must be exported whatever the head decision was. So every
 * request gets a few plain records (request-trace.ts), the decision is made
 * once the request is answered, and only the chosen traces are turned into
 * the SDK's `ReadableSpan` shape and given to its OTLP/HTTP exporter, in
 * batches, from a timer.
 */
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import type { SpanExporter } from "@opentelemetry/sdk-trace-base";
import { tracingConfig, type TracingConfig, type TracingOptions } from "./options.js";
import { RequestTrace, type FinishedRequest } from "./request-trace.js";
import { acceptTracestate, parseTraceparent } from "./trace-context.js";
import { TraceQueue, TraceQueueLimits, type TraceExportCounts } from "./trace-queue.js";

/** Outcomes of a request that answered normally; any other outcome is a failure. */
const OK_OUTCOMES = new Set(["ok", "websocket"]);

/** Where the tracer runs: the resource attributes of its spans. */
export interface TracerSite {
  pop: string;
  region?: string;
}

/** True when the request failed: its trace is exported even if it was not sampled. */
export function requestFailed(request: Pick<FinishedRequest, "status" | "outcome">): boolean {
  return request.status >= 500 || !OK_OUTCOMES.has(request.outcome);
}

export class Tracer {
  readonly config: TracingConfig;
  readonly #queue: TraceQueue;
  /** The trace of each request in progress, by the PoP's record of it. */
  readonly #traces = new WeakMap<object, RequestTrace>();
  readonly #export = (trace: RequestTrace) => this.#queue.add(trace);

  constructor(config: TracingConfig, site: TracerSite, exporter: SpanExporter = new OTLPTraceExporter({ url: config.tracesUrl, timeoutMillis: TraceQueueLimits.EXPORT_TIMEOUT_MS })) {
    this.config = config;
    const attributes: Record<string, string> = { "service.name": config.serviceName, "service.instance.id": site.pop, "verge.pop": site.pop };
    if (site.region) attributes["cloud.region"] = site.region;
    this.#queue = new TraceQueue(exporter, resourceFromAttributes(attributes), { name: "verge" });
  }

  /** Spans exported, dropped (queue full) and failed (not delivered) so far. */
  get counts(): Readonly<TraceExportCounts> {
    return this.#queue.counts;
  }

  /**
   * Starts the trace of a request from its `traceparent` and `tracestate`
   * headers; `record` is the PoP's record of the request, which `finish`
   * receives when it is answered.
   */
  start(headers: Readonly<Record<string, string | string[] | undefined>>, record: object): RequestTrace {
    const parent = parseTraceparent(headers.traceparent);
    const sampled = parent ? parent.sampled : Math.random() < this.config.sampleRatio;
    const trace = new RequestTrace(parent, sampled, parent ? acceptTracestate(headers.tracestate) : undefined, this.#export);
    this.#traces.set(record, trace);
    return trace;
  }

  /** The request of `record` was answered. */
  finish(record: FinishedRequest): void {
    const trace = this.#traces.get(record);
    if (!trace) return;
    this.#traces.delete(record);
    trace.finish(record, requestFailed(record));
  }

  /** Sends every trace waiting for export. */
  flush(): Promise<void> {
    return this.#queue.flush();
  }

  /** Sends what is waiting and stops the exporter. */
  close(): Promise<void> {
    return this.#queue.close();
  }
}

/**
 * The tracer for a PoP's `tracing` options; undefined when tracing is off.
 * Throws a TracingError naming a bad value.
 */
export function createTracer(options: TracingOptions | undefined, site: TracerSite): Tracer | undefined {
  const config = tracingConfig(options);
  return config ? new Tracer(config, site) : undefined;
}
