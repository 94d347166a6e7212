/**
 * @module The trace of one request at a PoP: its ids, the head-sampling
 * decision, and the spans of its subrequests and binding calls, recorded
 * cheaply for every request. Whether it is exported is decided when the
 * request is answered: sampled at the head, or failed. It is handed to the
 * exporter once the request's work has ended (the response sent and the
 * invocation over, so waitUntil work is in it).
 */
import { SpanKind, type Attributes } from "@opentelemetry/api";
import { newSpanId, newTraceId } from "./ids.js";
import { clock, SpanRecord, SubrequestSpan } from "./span-record.js";
import type { TraceParent } from "./trace-context.js";

/** What the request span says about the request; the PoP's request record has these fields. */
export interface FinishedRequest {
  method: string;
  /** The request target (its query is not exported). */
  path: string;
  status: number;
  /** "ok", or what went wrong (a platform error code, …). */
  outcome: string;
  pop: string;
  worker: string | null;
  version: string | null;
  ray: string;
  cpuMs: number;
  /** From the request's arrival to its answer. */
  wallMs: number;
}

/** Spans kept per request beyond the request's own; more are counted, not kept. */
export const MAX_CHILD_SPANS = 128;

export class RequestTrace {
  // Ids are drawn on first use: most requests that are not exported never need them.
  #traceId: string | undefined;
  #spanId: string | undefined;
  /** The caller's span, when the request came with a valid traceparent. */
  readonly parentId: string | undefined;
  readonly sampled: boolean;
  readonly tracestate: string | undefined;
  /** Set when the request is answered and the trace is wanted (the clock is read only then). */
  startMs = 0;
  endMs = 0;
  /** Set when the request is answered. */
  request: FinishedRequest | undefined;
  /** Exported because the request failed. */
  failed = false;
  children: SpanRecord[] = [];
  droppedChildren = 0;
  /** Async binding ops in flight, by op id: their spans end when they settle. */
  #awaiting: Map<number, SpanRecord> | null = null;
  /** The answer, plus one for each invocation still running for the request. */
  #holds = 1;
  /** False once the trace is handed to the exporter, or the request is answered and the trace is not wanted. */
  #recording = true;
  readonly #export: (trace: RequestTrace) => void;

  constructor(parent: TraceParent | null, sampled: boolean, tracestate: string | undefined, exportTrace: (trace: RequestTrace) => void) {
    this.#traceId = parent?.traceId;
    this.parentId = parent?.parentId;
    this.sampled = sampled;
    this.tracestate = tracestate;
    this.#export = exportTrace;
  }

  get traceId(): string {
    return (this.#traceId ??= newTraceId());
  }

  /** The request's own span: the parent of its children and of the subrequests' traceparent. */
  get spanId(): string {
    return (this.#spanId ??= newSpanId());
  }

  /** A span for a binding call (or any work of the request); end it, or hand it to `awaitOp`. */
  child(name: string, kind: SpanKind = SpanKind.CLIENT, attributes?: Attributes): SpanRecord {
    return this.#keep(new SpanRecord(name, kind, attributes));
  }

  /** A span for a subrequest, with the trace context its request carries. */
  subrequest(method: string, url: string): SubrequestSpan {
    return this.#keep(new SubrequestSpan(method, url, this, this.tracestate));
  }

  /** `span` ends when async op `opId` settles. */
  awaitOp(opId: number, span: SpanRecord): void {
    if (this.#recording) (this.#awaiting ??= new Map()).set(opId, span);
  }

  /** Async op `opId` settled; a rejection's value is the wire error. */
  opSettled(opId: number, ok: boolean, value: unknown): void {
    const span = this.#awaiting?.get(opId);
    if (!span) return;
    this.#awaiting!.delete(opId);
    if (ok) span.end();
    else span.fail(String((value as { message?: unknown } | null)?.message ?? "failed"));
  }

  /** An invocation runs for this request: the trace waits for it to end. */
  hold(): void {
    this.#holds++;
  }

  release(): void {
    if (--this.#holds > 0 || !this.#recording) return;
    this.#recording = false; // Handed over: nothing is added to it from here on.
    this.#export(this);
  }

  /** The request was answered: `failed` (or the head decision) says whether the trace is exported. */
  finish(request: FinishedRequest, failed: boolean): void {
    if (this.request) return;
    this.request = request;
    this.failed = failed;
    if (this.sampled || failed) {
      this.endMs = clock();
      this.startMs = this.endMs - request.wallMs;
    } else {
      this.#recording = false;
      this.children = [];
      this.#awaiting = null;
    }
    this.release();
  }

  #keep<S extends SpanRecord>(span: S): S {
    if (!this.#recording) return span;
    if (this.children.length < MAX_CHILD_SPANS) this.children.push(span);
    else this.droppedChildren++;
    return span;
  }
}
