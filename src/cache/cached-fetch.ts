/**
 * @module Subrequests through the PoP's cache (`fetch(url, { cf: { cacheTtl,
 * cacheEverything, cacheKey, cacheTags } })`): fresh entries answer at once,
 * stale ones within stale-while-revalidate answer while one background
 * refresh runs, expired ones with validators are revalidated (304 refreshes
 * them), and concurrent misses for one key make a single origin request.
 */
import type { Egress, EgressRequest, EgressResponse } from "../pop/egress/index.js";
import { bytesBody, readUpTo } from "./body.js";
import type { CfCacheOptions } from "./cf-options.js";
import { notModified, notModifiedHeaders, revalidationHeaders } from "./conditional.js";
import { without } from "./headers.js";
import type { CacheStatus, PopCache } from "./pop-cache.js";
import { staleness, storability } from "./policy.js";
import type { CacheEntry, CacheScope } from "./store.js";

/** Request headers the cache does not forward on a miss: it wants the whole response, and answers conditionals itself. */
const CONDITIONAL = new Set(["if-none-match", "if-modified-since", "if-match", "if-unmodified-since", "if-range", "range"]);
/** A background refresh gives up after this long. */
const REFRESH_TIMEOUT_MS = 30_000;

/** The outcome of one origin fetch that others may be waiting on. */
interface Fill {
  /** The stored entry, when the response could be stored. */
  entry: CacheEntry | null;
  status: CacheStatus;
}

export class CachedFetch {
  /** Origin fetches in flight, by primary key: concurrent misses wait for the first. */
  readonly #filling = new Map<string, Promise<Fill>>();

  constructor(
    private readonly cache: PopCache,
    private readonly egress: Egress,
  ) {}

  /** The answer to `req` when the cache holds it fresh (a HIT, or 304 to the worker's own validators); null otherwise. */
  fresh(scope: CacheScope, req: EgressRequest, options: CfCacheOptions): EgressResponse | null {
    const method = req.method.toUpperCase();
    if ((method !== "GET" && method !== "HEAD") || !this.cache.current) return null;
    const entry = this.cache.store.get(scope, options.cacheKey ?? req.url, req.headers);
    if (!entry || staleness(entry.storedAt, entry.freshness, Date.now()) !== "fresh") return null;
    this.cache.countLookup(scope, true);
    return this.#answer(req, entry, "HIT");
  }

  async fetch(scope: CacheScope, req: EgressRequest, options: CfCacheOptions): Promise<EgressResponse> {
    const method = req.method.toUpperCase();
    if ((method !== "GET" && method !== "HEAD") || !this.cache.current) return this.#bypass(req);
    const key = options.cacheKey ?? req.url;
    const found = this.cache.lookup(scope, key, req.headers);
    if (found?.state === "fresh") return this.#answer(req, found.entry, "HIT");
    if (found?.state === "stale-while-revalidate") {
      // Served stale; one refresh runs in the background for everyone.
      this.#fill(scope, key, req, options, found.entry, AbortSignal.timeout(REFRESH_TIMEOUT_MS)).catch(() => undefined);
      return this.#answer(req, found.entry, "UPDATING");
    }
    const filling = this.#filling.get(`${scope.worker}\n${key}`);
    if (filling) {
      const fill = await filling.catch(() => null);
      const entry = fill?.entry && this.cache.store.get(scope, key, req.headers);
      if (entry) return this.#answer(req, entry, "HIT");
      // The first fetch failed or could not be stored: this request makes its own.
      return this.#origin(scope, key, req, options, found?.entry ?? null);
    }
    return this.#origin(scope, key, req, options, found?.entry ?? null);
  }

  /** One origin fetch whose response is stored; others with the same key wait for it. */
  async #origin(scope: CacheScope, key: string, req: EgressRequest, options: CfCacheOptions, stale: CacheEntry | null): Promise<EgressResponse> {
    let passOn: EgressResponse | null = null;
    const fill = this.#fill(scope, key, req, options, stale, req.signal, (response) => (passOn = response));
    const { entry, status } = await fill;
    if (passOn) return passOn;
    if (!entry) throw new Error("The cache lost a response it had just fetched");
    return this.#answer(req, entry, status);
  }

  /**
   * Fetches from the origin (conditionally when `stale` has validators) and
   * stores the result; a response that cannot be stored goes to `passOn`.
   */
  #fill(scope: CacheScope, key: string, req: EgressRequest, options: CfCacheOptions, stale: CacheEntry | null, signal: AbortSignal | undefined, passOn?: (response: EgressResponse) => void): Promise<Fill> {
    const id = `${scope.worker}\n${key}`;
    const existing = this.#filling.get(id);
    if (existing && !passOn) return existing;
    const run = async (): Promise<Fill> => {
      const validators = stale ? revalidationHeaders(stale.headers) : null;
      const headers = [...without(req.headers, CONDITIONAL), ...(validators ?? [])];
      const response = await this.egress.fetch({ ...req, method: "GET", headers, body: null, signal });
      const overrides = { cacheTtl: options.cacheTtl, cacheTtlByStatus: options.cacheTtlByStatus };
      if (response.status === 304 && stale && validators) {
        response.body?.cancel?.();
        // RFC 9111 §4.3.4: the stored headers, updated by the 304's.
        const names = new Set(response.headers.map(([name]) => name.toLowerCase()));
        const merged = [...without(stale.headers, names), ...response.headers];
        const verdict = storability(req, stale.status, merged, Date.now(), overrides);
        if (verdict.store) {
          this.cache.store.refresh(stale, verdict.headers, Date.now(), verdict.freshness);
          return { entry: stale, status: "REVALIDATED" };
        }
        this.cache.delete(scope, key);
        return { entry: null, status: "EXPIRED" };
      }
      const body = await readUpTo(response.body, this.cache.maxObjectBytes);
      const head = req.method.toUpperCase() === "HEAD";
      if (head && "stream" in body) body.stream.cancel?.();
      const status: CacheStatus = stale ? "EXPIRED" : "MISS";
      if ("bytes" in body) {
        const stored = { status: response.status, statusText: response.statusText, headers: response.headers, body: body.bytes };
        const verdict = this.cache.put(scope, key, req, stored, { overrides, tags: options.cacheTags });
        if (verdict.store) return { entry: this.cache.store.get(scope, key, req.headers) ?? null, status };
        passOn?.(withStatus({ ...response, body: head ? null : bytesBody(body.bytes) }, "DYNAMIC"));
      } else {
        passOn?.(withStatus({ ...response, body: head ? null : body.stream }, "DYNAMIC"));
      }
      return { entry: null, status };
    };
    const pending = run().finally(() => {
      if (this.#filling.get(id) === pending) this.#filling.delete(id);
    });
    if (!existing) this.#filling.set(id, pending);
    return pending;
  }

  /** A response from a stored entry: 304 when the worker's own validators match, no body for HEAD. */
  #answer(req: EgressRequest, entry: CacheEntry, status: CacheStatus): EgressResponse {
    const age = String(Math.max(0, Math.floor((Date.now() - entry.storedAt) / 1000)));
    if (notModified(req.headers, entry.headers)) {
      return { status: 304, statusText: "Not Modified", headers: [...notModifiedHeaders(entry.headers), ["age", age], ["cf-cache-status", status]], url: req.url, redirected: false, body: null };
    }
    const headers: [string, string][] = [...entry.headers, ["age", age], ["cf-cache-status", status]];
    const head = req.method.toUpperCase() === "HEAD";
    return { status: entry.status, statusText: entry.statusText, headers, url: req.url, redirected: false, body: head ? null : bytesBody(entry.body), bytes: head ? undefined : entry.body };
  }

  async #bypass(req: EgressRequest): Promise<EgressResponse> {
    return withStatus(await this.egress.fetch(req), "BYPASS");
  }
}

function withStatus(response: EgressResponse, status: CacheStatus): EgressResponse {
  return { ...response, headers: [...response.headers, ["cf-cache-status", status]] };
}
