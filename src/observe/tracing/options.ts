/**
 * @module A PoP's tracing options and their validation. Tracing is off unless
 * an endpoint is given; every value given is checked either way, and a bad
 * one is refused with a message that names it.
 */
import { CodedError } from "../../errors.js";

export interface TracingOptions {
  /** Base URL of an OTLP/HTTP collector; spans are posted to `<endpoint>/v1/traces`. Absent: tracing is off. */
  endpoint?: string;
  /** Share of requests traced from the start (head sampling) when the caller did not decide: 0 to 1, default 0.05. Failed requests are exported regardless. */
  sampleRatio?: number;
  /** `service.name` of the exported spans (default "verge"). */
  serviceName?: string;
}

/** Options after validation, with defaults applied. */
export interface TracingConfig {
  /** The full URL spans are posted to. */
  tracesUrl: string;
  sampleRatio: number;
  serviceName: string;
}

export const TracingDefaults = {
  SAMPLE_RATIO: 0.05,
  SERVICE_NAME: "verge",
  TRACES_PATH: "v1/traces",
} as const;

export class TracingError extends CodedError<"invalid_tracing_option"> {
  override readonly name = "TracingError";
}

function invalid(message: string): TracingError {
  return new TracingError("invalid_tracing_option", message);
}

function tracesUrl(endpoint: unknown): string {
  if (typeof endpoint !== "string") throw invalid(`Tracing endpoint must be a URL string: received ${typeof endpoint}`);
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw invalid(`Tracing endpoint must be an absolute http(s) URL: received ${JSON.stringify(endpoint)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw invalid(`Tracing endpoint must be an http or https URL: received ${JSON.stringify(endpoint)}`);
  if (url.search || url.hash) throw invalid(`Tracing endpoint must have no query or fragment: received ${JSON.stringify(endpoint)}`);
  return `${url.href.replace(/\/+$/, "")}/${TracingDefaults.TRACES_PATH}`;
}

/**
 * Checks `options`; null when tracing is off (no endpoint).
 * @example tracingConfig({ endpoint: "http://127.0.0.1:4318", sampleRatio: 0.1 })
 */
export function tracingConfig(options: TracingOptions | undefined): TracingConfig | null {
  if (options === undefined) return null;
  const { endpoint, sampleRatio = TracingDefaults.SAMPLE_RATIO, serviceName = TracingDefaults.SERVICE_NAME } = options;
  if (typeof sampleRatio !== "number" || !(sampleRatio >= 0 && sampleRatio <= 1)) {
    throw invalid(`Tracing sampleRatio must be a number from 0 to 1: received ${String(sampleRatio)}`);
  }
  if (typeof serviceName !== "string" || serviceName.trim() === "") throw invalid(`Tracing serviceName must be a non-empty string: received ${JSON.stringify(serviceName)}`);
  if (endpoint === undefined) return null;
  return { tracesUrl: tracesUrl(endpoint), sampleRatio, serviceName };
}
