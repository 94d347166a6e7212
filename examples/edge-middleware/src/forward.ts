/** @module Forwarding to the origin with the edge's headers; the response streams back unbuffered. */
import type { Cohort } from "./cohort.js";
import type { Env } from "./env.js";
import type { Locale } from "./personalize.js";
import { errorResponse } from "./responses.js";

/** Headers only the edge may set: a client's own values are dropped. */
export const EDGE_HEADERS = ["x-user", "x-cohort", "x-currency", "x-language", "x-country"] as const;

/** What the edge tells the origin about the visitor. */
export interface Visitor {
  /** The verified JWT `sub`; null for anonymous visitors (no `x-user` then). */
  sub: string | null;
  cohort: Cohort;
  locale: Locale;
}

/** The origin URL for a request: ORIGIN_URL's scheme, host and port with the request's path and query. */
export function originUrl(request: Request, env: Env): URL {
  const incoming = new URL(request.url);
  const target = new URL(env.ORIGIN_URL);
  target.pathname = incoming.pathname;
  target.search = incoming.search;
  return target;
}

function originHeaders(request: Request, visitor: Visitor): Headers {
  const incoming = new URL(request.url);
  const headers = new Headers(request.headers);
  for (const name of EDGE_HEADERS) headers.delete(name);
  if (visitor.sub !== null) headers.set("x-user", visitor.sub);
  headers.set("x-cohort", visitor.cohort);
  headers.set("x-currency", visitor.locale.currency);
  headers.set("x-language", visitor.locale.language);
  headers.set("x-country", visitor.locale.country);
  headers.set("x-forwarded-host", incoming.host);
  headers.set("x-forwarded-proto", incoming.protocol.slice(0, -1));
  return headers;
}

/**
 * Send the request on to ORIGIN_URL. Redirects are passed to the client, not
 * followed; an unreachable origin is a 502 JSON error.
 * @example return forwardToOrigin(request, env, { sub: "alice", cohort: "a", locale });
 */
export async function forwardToOrigin(request: Request, env: Env, visitor: Visitor): Promise<Response> {
  const target = originUrl(request, env);
  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: request.method,
      headers: originHeaders(request, visitor),
      body: request.body,
      redirect: "manual",
      signal: request.signal,
    });
  } catch (error) {
    console.error(`Origin fetch failed: ${target.origin}: ${error instanceof Error ? error.message : String(error)}`);
    return errorResponse(502, "origin_unreachable", `The origin did not answer: ${target.origin}`);
  }
  // A new Response: fetch's headers are immutable, and the edge adds its own.
  return new Response(upstream.body, { status: upstream.status, statusText: upstream.statusText, headers: upstream.headers });
}
