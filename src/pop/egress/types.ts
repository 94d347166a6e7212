/** @module Types of the egress service: outgoing fetches of workers. */
import type { LookupFunction } from "node:net";
import type { EgressBody } from "./body.js";

/** Options of `createEgress`. */
export interface EgressOptions {
  /** Allow every address, local ones included (the PoP's `--allow-local-fetch`). Default false. */
  allowLocal?: boolean;
  /** Exact origins exempt from the guard, e.g. `http://127.0.0.1:4321`; redirects away from them are checked again. */
  allowedOrigins?: string[];
  /** Redirects followed before failing. Default 20, as in the Fetch standard. */
  maxRedirects?: number;
  /** `user-agent` sent when the request has none. Default: none, as in Workers. */
  userAgent?: string;
  /** DNS resolution before each connection. Default `dns.lookup`; tests inject names with it. */
  lookup?: LookupFunction;
}

/** An outgoing request; headers are pairs, a body is bytes or a stream of bytes. */
export interface EgressRequest {
  method: string;
  url: string;
  headers: [string, string][];
  body: Uint8Array | AsyncIterable<Uint8Array> | null;
  redirect: "follow" | "manual" | "error";
  signal?: AbortSignal;
}

/** The response, headers without hop-by-hop ones; the body streams and must be read or cancelled. */
export interface EgressResponse {
  status: number;
  statusText: string;
  headers: [string, string][];
  /** The final URL after redirects. */
  url: string;
  redirected: boolean;
  body: EgressBody | null;
  /** The whole body when it is already in memory (a cache hit): it crosses into the isolate in one copy. */
  bytes?: Uint8Array;
}

/** The outgoing fetch of a PoP. */
export interface Egress {
  fetch(req: EgressRequest): Promise<EgressResponse>;
  /** Close every pooled connection. */
  close(): Promise<void>;
}
