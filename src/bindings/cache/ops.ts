/**
 * @module The host ops of the Cache API: synchronous (the PoP's cache is in
 * this process), scoped to the calling worker, every argument checked.
 */
import type { PopCache } from "../../cache/index.js";
import { notModified, notModifiedHeaders } from "../../cache/conditional.js";
import { header, listItems } from "../../cache/headers.js";
import type { CacheScope } from "../../cache/store.js";
import { validateHeaders } from "../../runtime/host-ops/wire.js";
import { expectNumber, expectString, OpArgumentError, requireInvocation, type OpContext, type OpTable } from "../../runtime/ops.js";
import { MAX_CACHE_NAME, type WireCachedResponse } from "./wire.js";

/** The scope of a call: the worker, and `caches.default` (null) or a named cache. */
function scopeOf(context: OpContext, name: unknown): CacheScope {
  if (name === null) return { worker: context.worker, cacheName: "" };
  if (typeof name !== "string" || name.length > MAX_CACHE_NAME) throw new TypeError(`caches.open: a cache name is a string of at most ${MAX_CACHE_NAME} characters: received ${typeof name === "string" ? `${name.length} characters` : typeof name}`);
  return { worker: context.worker, cacheName: `named:${name}` };
}

/** The request URL as the cache keys it: absolute http(s), without the fragment. */
function cacheUrl(value: unknown, op: string): string {
  const raw = expectString(value, "url");
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TypeError(`Cache.${op}: not a valid URL: ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new TypeError(`Cache.${op}: only http and https URLs can be cached: received ${JSON.stringify(raw)}`);
  url.hash = "";
  return url.href;
}

export function cacheOps(cache: PopCache | undefined): OpTable {
  const need = (context: OpContext, op: string): PopCache => {
    requireInvocation(context, `Cache.${op}`);
    if (!cache) throw new OpArgumentError("The Cache API is not available at this PoP");
    return cache;
  };
  return {
    "cache.match"(context, [name, url, method, headers, ignoreMethod]): WireCachedResponse {
      const store = need(context, "match");
      const scope = scopeOf(context, name);
      const key = cacheUrl(url, "match");
      const requestHeaders = validateHeaders(headers);
      if (expectString(method, "method").toUpperCase() !== "GET" && ignoreMethod !== true) return null;
      const found = store.lookup(scope, key, requestHeaders);
      // The Cache API cannot refresh: past stale-while-revalidate a stored response is a miss.
      if (!found || found.state === "stale") return null;
      const { entry } = found;
      const status = found.state === "fresh" ? "HIT" : "STALE";
      const age = String(Math.max(0, Math.floor((Date.now() - entry.storedAt) / 1000)));
      if (notModified(requestHeaders, entry.headers)) return [304, "Not Modified", [...notModifiedHeaders(entry.headers), ["age", age], ["cf-cache-status", status]], new Uint8Array(0)];
      return [entry.status, entry.statusText, [...entry.headers, ["age", age], ["cf-cache-status", status]], entry.body];
    },
    "cache.put"(context, [name, url, method, requestHeaders, status, statusText, headers, body]) {
      const store = need(context, "put");
      const scope = scopeOf(context, name);
      const key = cacheUrl(url, "put");
      if (expectString(method, "method").toUpperCase() !== "GET") throw new TypeError(`Cache.put: only GET requests can be cached: received ${JSON.stringify(method)}`);
      const code = expectNumber(status, "status");
      if (code === 206) throw new TypeError("Cache.put: a partial response (206) cannot be cached");
      const responseHeaders = validateHeaders(headers);
      if (listItems(header(responseHeaders, "vary")).includes("*")) throw new TypeError("Cache.put: a response with Vary: * cannot be cached");
      if (!(body instanceof Uint8Array)) throw new OpArgumentError("body must be bytes");
      if (body.byteLength > store.maxObjectBytes) throw new RangeError(`Cache.put: the body is ${body.byteLength} bytes, over the PoP's limit of ${store.maxObjectBytes} bytes per object`);
      // A response HTTP caching keeps out (no-store, private, Set-Cookie, expired) is not stored, as in Workers.
      store.put(scope, key, { headers: validateHeaders(requestHeaders) }, { status: code, statusText: expectString(statusText, "statusText"), headers: responseHeaders, body });
    },
    "cache.delete"(context, [name, url, method, ignoreMethod]): boolean {
      const store = need(context, "delete");
      const scope = scopeOf(context, name);
      const key = cacheUrl(url, "delete");
      if (expectString(method, "method").toUpperCase() !== "GET" && ignoreMethod !== true) return false;
      return store.delete(scope, key);
    },
  };
}
