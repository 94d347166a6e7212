/** @module Header lists of outgoing fetches: hop-by-hop removal and conversion to and from undici's forms. */
import type { IncomingHttpHeaders } from "node:http";

/** A header list as pairs, names lower-cased (the bridge's WireHeaders). */
export type HeaderPairs = [string, string][];

/** Hop-by-hop headers (RFC 9110 §7.6.1), never forwarded in either direction. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"]);

/** Request headers the client sets itself: the host comes from the URL, the length from the body. */
const SET_BY_CLIENT = new Set(["host", "content-length", "expect"]);

/** Headers describing a request body, dropped when a redirect turns the request into a GET (Fetch §4.4). */
export const REQUEST_BODY_HEADERS = new Set(["content-encoding", "content-language", "content-location", "content-type"]);

/** Credentials dropped when a redirect leaves the origin. */
export const CROSS_ORIGIN_DROPPED = new Set(["authorization", "proxy-authorization", "cookie"]);

/** Names listed in `connection` headers, which are hop-by-hop as well. */
function connectionTokens(pairs: HeaderPairs): Set<string> {
  const tokens = new Set<string>();
  for (const [name, value] of pairs) {
    if (name === "connection") for (const t of value.split(",")) tokens.add(t.trim().toLowerCase());
  }
  return tokens;
}

/**
 * The headers of an outgoing request without hop-by-hop and client-set ones,
 * names lower-cased, with a default user agent when none is given.
 * @example outgoingHeaders([["Connection", "close"], ["Accept", "*\/*"]]) // [["accept", "*\/*"]]
 */
export function outgoingHeaders(input: HeaderPairs, userAgent?: string): HeaderPairs {
  const lower = input.map(([n, v]): [string, string] => [n.toLowerCase(), v]);
  const listed = connectionTokens(lower);
  const out = lower.filter(([n]) => !HOP_BY_HOP.has(n) && !SET_BY_CLIENT.has(n) && !listed.has(n));
  if (userAgent !== undefined && !out.some(([n]) => n === "user-agent")) out.push(["user-agent", userAgent]);
  return out;
}

/** Pairs without the given names. */
export function withoutHeaders(pairs: HeaderPairs, names: Set<string>): HeaderPairs {
  return pairs.filter(([n]) => !names.has(n));
}

/** Flatten pairs into undici's `[name, value, name, value, …]` form, keeping repeated names. */
export function flatHeaders(pairs: HeaderPairs): string[] {
  return pairs.flat();
}

/** Response headers from undici as pairs (one per value), without hop-by-hop ones. */
export function incomingHeaders(headers: IncomingHttpHeaders): HeaderPairs {
  const pairs: HeaderPairs = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) pairs.push([name, v]);
  }
  const listed = connectionTokens(pairs);
  return pairs.filter(([n]) => !HOP_BY_HOP.has(n) && !listed.has(n));
}

/** The first value of a header, or `undefined`. */
export function headerValue(pairs: HeaderPairs, name: string): string | undefined {
  return pairs.find(([n]) => n === name)?.[1];
}
