/**
 * @module One span of a request, as it is recorded on the request path: a
 * few fields and no work beyond reading the clock. Turning it into an OTLP
 * span happens later, off that path, and only for traces that are exported.
 */
import { SpanKind, SpanStatusCode, type Attributes } from "@opentelemetry/api";
import { newSpanId } from "./ids.js";
import { formatTraceparent } from "./trace-context.js";

/** Epoch milliseconds with sub-millisecond precision, from the monotonic clock. */
export function clock(): number {
  return performance.timeOrigin + performance.now();
}

export class SpanRecord {
  readonly spanId = newSpanId();
  readonly startMs = clock();
  /** 0 while the span is open. */
  endMs = 0;
  status: SpanStatusCode = SpanStatusCode.UNSET;
  message: string | undefined;
  readonly attributes: Attributes;

  constructor(
    readonly name: string,
    readonly kind: SpanKind,
    attributes: Attributes = {},
  ) {
    this.attributes = attributes;
  }

  end(): void {
    if (this.endMs === 0) this.endMs = clock();
  }

  /** Ends the span as failed. */
  fail(message: string): void {
    if (this.endMs !== 0) return;
    this.status = SpanStatusCode.ERROR;
    this.message = message;
    this.end();
  }
}

/** A subrequest's span: it also says what the `traceparent` of the outgoing request is. */
export class SubrequestSpan extends SpanRecord {
  readonly traceparent: string;

  constructor(
    method: string,
    url: string,
    context: { traceId: string; sampled: boolean },
    readonly tracestate: string | undefined,
  ) {
    super(`fetch ${method}`, SpanKind.CLIENT, { "http.request.method": method, "server.address": hostOf(url) });
    this.traceparent = formatTraceparent(context.traceId, this.spanId, context.sampled);
  }

  /** `headers` with this span's trace context in place of any the worker set. */
  headers(headers: [string, string][]): [string, string][] {
    const tracestate = this.tracestate;
    const out = headers.filter(([name]) => {
      const lower = name.toLowerCase();
      return lower !== "traceparent" && (tracestate === undefined || lower !== "tracestate");
    });
    out.push(["traceparent", this.traceparent]);
    if (tracestate !== undefined) out.push(["tracestate", tracestate]);
    return out;
  }

  /** The response's head arrived (a subrequest's span ends there; its body may stream for longer). A 4xx or 5xx marks a client span failed, as OpenTelemetry's HTTP conventions ask. */
  answered(status: number): void {
    this.attributes["http.response.status_code"] = status;
    if (status >= 400) this.fail(`HTTP ${status}`);
    else this.end();
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "";
  }
}
