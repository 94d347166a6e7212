/**
 * @module Conditional requests against a stored response (RFC 9110 §13):
 * If-None-Match (weak comparison) first, If-Modified-Since only without it.
 */
import { header, listItems, type HeaderPairs } from "./headers.js";

const weak = (tag: string): string => (tag.startsWith("W/") ? tag.slice(2) : tag);

/** True when the request's validators match the stored response, so the answer is 304. */
export function notModified(requestHeaders: HeaderPairs, stored: HeaderPairs): boolean {
  const ifNoneMatch = header(requestHeaders, "if-none-match");
  if (ifNoneMatch !== null) {
    const etag = header(stored, "etag");
    const wanted = listItems(ifNoneMatch);
    return wanted.includes("*") || (etag !== null && wanted.some((tag) => weak(tag) === weak(etag.trim())));
  }
  const since = Date.parse(header(requestHeaders, "if-modified-since") ?? "");
  const lastModified = Date.parse(header(stored, "last-modified") ?? "");
  return !Number.isNaN(since) && !Number.isNaN(lastModified) && lastModified <= since;
}

/** Headers a 304 carries from the stored response (RFC 9110 §15.4.5). */
const NOT_MODIFIED_HEADERS = new Set(["cache-control", "content-location", "date", "etag", "expires", "vary", "last-modified"]);

export function notModifiedHeaders(stored: HeaderPairs): [string, string][] {
  return stored.filter(([name]) => NOT_MODIFIED_HEADERS.has(name.toLowerCase())).map(([name, value]) => [name, value]);
}

/** Validators for revalidating a stored response with its origin, or null when it has none. */
export function revalidationHeaders(stored: HeaderPairs): [string, string][] | null {
  const out: [string, string][] = [];
  const etag = header(stored, "etag");
  const lastModified = header(stored, "last-modified");
  if (etag !== null) out.push(["if-none-match", etag]);
  if (lastModified !== null) out.push(["if-modified-since", lastModified]);
  return out.length > 0 ? out : null;
}
