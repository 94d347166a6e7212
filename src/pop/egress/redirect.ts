/** @module The redirect step of the Fetch standard (§4.4 HTTP-redirect fetch), for manually followed redirects. */
import { CROSS_ORIGIN_DROPPED, REQUEST_BODY_HEADERS, withoutHeaders, type HeaderPairs } from "./headers.js";

/** Statuses that are redirects when they carry a `location`. */
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** One request of a redirect chain. */
export interface Hop {
  url: URL;
  method: string;
  headers: HeaderPairs;
  body: Uint8Array | AsyncIterable<Uint8Array> | null;
}

/** The `location` of a redirect resolved against the current URL; a TypeError when it does not parse. */
export function locationOf(current: URL, location: string): URL {
  let next: URL;
  try {
    next = new URL(location, current);
  } catch {
    throw new TypeError(`fetch to ${current.href} failed: redirect location is not a URL: "${location}"`);
  }
  if (next.hash === "" && current.hash !== "") next.hash = current.hash;
  return next;
}

/**
 * The request that follows a `status` redirect to `next`: 301/302 turn POST
 * into GET and 303 turns anything but GET/HEAD into GET, dropping the body and
 * its headers; leaving the origin drops credentials. A streamed body cannot be
 * sent twice, so a redirect that keeps it is a TypeError.
 */
export function followRedirect(hop: Hop, status: number, next: URL): Hop {
  let { method, headers, body } = hop;
  const toGet = ((status === 301 || status === 302) && method === "POST") || (status === 303 && method !== "GET" && method !== "HEAD");
  if (toGet) {
    method = "GET";
    body = null;
    headers = withoutHeaders(headers, REQUEST_BODY_HEADERS);
  } else if (body !== null && !(body instanceof Uint8Array)) {
    throw new TypeError(`fetch to ${hop.url.href} failed: cannot follow a ${status} redirect with a streamed request body`);
  }
  if (next.origin !== hop.url.origin) headers = withoutHeaders(headers, CROSS_ORIGIN_DROPPED);
  return { url: next, method, headers, body };
}
