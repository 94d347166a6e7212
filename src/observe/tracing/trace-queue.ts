/**
 * @module The traces chosen for export, on their way to the collector:
 * queued on the request path (an array push, nothing awaited), converted and
 * sent in batches from a timer. The queue is bounded; a trace that does not
 * fit is dropped and counted.
 */
import { ExportResultCode, type InstrumentationScope } from "@opentelemetry/core";
import type { Resource } from "@opentelemetry/resources";
import type { SpanExporter } from "@opentelemetry/sdk-trace-base";
import { toReadableSpans } from "./otlp-spans.js";
import type { RequestTrace } from "./request-trace.js";

export const TraceQueueLimits = {
  /** Spans waiting at most; OpenTelemetry's batch processor has the same default. */
  MAX_QUEUED_SPANS: 2048,
  /** Spans per export request. */
  MAX_BATCH_SPANS: 512,
  /** How long a span may wait for a batch to fill. */
  DELAY_MS: 1000,
  /** One export request's time limit, retries included (the exporter retries a collector that refuses connections or answers 429/502/503/504). */
  EXPORT_TIMEOUT_MS: 5000,
  /** How long closing waits for what is still being sent. */
  CLOSE_GRACE_MS: 2000,
} as const;

/** What happened to the spans handed to the queue. */
export interface TraceExportCounts {
  exported: number;
  /** Dropped because the queue was full. */
  dropped: number;
  /** Sent but refused, or not delivered (the collector down, a time-out). */
  failed: number;
}

export class TraceQueue {
  readonly counts: TraceExportCounts = { exported: 0, dropped: 0, failed: 0 };
  readonly #exporter: SpanExporter;
  readonly #resource: Resource;
  readonly #scope: InstrumentationScope;
  #queued: RequestTrace[] = [];
  #queuedSpans = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #sending = new Set<Promise<void>>();

  constructor(exporter: SpanExporter, resource: Resource, scope: InstrumentationScope) {
    this.#exporter = exporter;
    this.#resource = resource;
    this.#scope = scope;
  }

  add(trace: RequestTrace): void {
    const spans = 1 + trace.children.length;
    if (this.#queuedSpans + spans > TraceQueueLimits.MAX_QUEUED_SPANS) {
      this.counts.dropped += spans;
      return;
    }
    this.#queued.push(trace);
    this.#queuedSpans += spans;
    if (this.#queuedSpans >= TraceQueueLimits.MAX_BATCH_SPANS) this.#schedule(0);
    else this.#schedule(TraceQueueLimits.DELAY_MS);
  }

  /** Sends everything queued and waits for every export in flight. */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#queued.length > 0) this.#sendBatch();
    await Promise.all(this.#sending);
  }

  /** Sends what is queued and stops the exporter, waiting at most `CLOSE_GRACE_MS` for a collector that does not answer. */
  async close(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, TraceQueueLimits.CLOSE_GRACE_MS)));
    try {
      await Promise.race([this.flush().then(() => this.#exporter.shutdown()), grace]);
    } finally {
      clearTimeout(timer);
    }
  }

  #schedule(delayMs: number): void {
    if (this.#timer !== undefined && delayMs > 0) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#sendBatch();
      if (this.#queued.length > 0) this.#schedule(this.#queuedSpans >= TraceQueueLimits.MAX_BATCH_SPANS ? 0 : TraceQueueLimits.DELAY_MS);
    }, delayMs).unref();
  }

  /** Takes whole traces up to a batch's worth of spans and exports them. */
  #sendBatch(): void {
    let taken = 0;
    let count = 0;
    while (taken < this.#queued.length) {
      const size = 1 + this.#queued[taken].children.length;
      if (count > 0 && count + size > TraceQueueLimits.MAX_BATCH_SPANS) break;
      count += size;
      taken++;
    }
    const batch = this.#queued.splice(0, taken);
    this.#queuedSpans = Math.max(0, this.#queuedSpans - count);
    if (batch.length === 0) return;
    const spans = batch.flatMap((trace) => toReadableSpans(trace, this.#resource, this.#scope));
    const sending = new Promise<void>((resolve) => {
      const done = (ok: boolean) => {
        if (ok) this.counts.exported += spans.length;
        else this.counts.failed += spans.length;
        resolve();
      };
      try {
        this.#exporter.export(spans, (result) => done(result.code === ExportResultCode.SUCCESS));
      } catch {
        done(false);
      }
    });
    this.#sending.add(sending);
    void sending.then(() => this.#sending.delete(sending));
  }
}
