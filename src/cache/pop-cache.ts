/**
 * @module The HTTP cache of one PoP: the store, the purge feed that keeps it
 * honest across the network, and the operations the Cache API and cached
 * subrequests share (look up, store, delete, purge).
 */
import type { SubstrateView } from "../substrate/types.js";
import { header, listItems, type HeaderPairs } from "./headers.js";
import { staleness, storability, type Staleness, type Storability, type TtlOverrides } from "./policy.js";
import { PurgeFeed, type PurgeFeedOptions } from "./purge-feed.js";
import { normalizeTag, tagProblem, type Purge } from "./purge.js";
import { CacheStore, type CacheEntry, type CacheScope, type StoredResponse } from "./store.js";

export interface PopCacheOptions {
  /** The PoP's substrate view: purges reach it there. Absent: a lone PoP, purged locally only. */
  substrate?: SubstrateView;
  /** The bound of the PoP's cache in bytes (default 256 MiB). */
  maxBytes?: number;
  feed?: PurgeFeedOptions;
}

/** `cf-cache-status` values, as Cloudflare names them. */
export type CacheStatus = "HIT" | "MISS" | "EXPIRED" | "STALE" | "UPDATING" | "REVALIDATED" | "BYPASS" | "DYNAMIC";

export interface CacheCounters {
  hits: number;
  misses: number;
  stores: number;
  purged: number;
}

export const DEFAULT_CACHE_BYTES = 256 * 1024 * 1024;

export class PopCache {
  readonly store: CacheStore;
  /** The largest single response stored: an eighth of the bound, at most 64 MiB. */
  readonly maxObjectBytes: number;
  readonly counters: CacheCounters = { hits: 0, misses: 0, stores: 0, purged: 0 };
  /** Hits and misses by worker (the tenant looked up for), read by the PoP's metrics. */
  readonly lookupsByWorker = new Map<string, { hits: number; misses: number }>();
  readonly #feed: PurgeFeed | undefined;

  constructor(options: PopCacheOptions = {}) {
    this.store = new CacheStore(options.maxBytes ?? DEFAULT_CACHE_BYTES);
    this.maxObjectBytes = Math.min(64 * 1024 * 1024, Math.floor(this.store.maxBytes / 8));
    if (options.substrate) this.#feed = new PurgeFeed(options.substrate, (purge) => this.applyPurge(purge), options.feed);
  }

  /** Starts following purges (the PoP does it at start, so the first cached request finds the cache current). */
  start(): void {
    this.#feed?.start();
  }

  /** False while the PoP may have missed a purge: nothing is answered from cache then. */
  get current(): boolean {
    return this.#feed?.current ?? true;
  }

  /** The stored response for `url` and its state, or null (a miss, or the cache is not current). */
  lookup(scope: CacheScope, url: string, requestHeaders: HeaderPairs): { entry: CacheEntry; state: Staleness } | null {
    const entry = this.current ? this.store.get(scope, url, requestHeaders) : undefined;
    this.countLookup(scope, entry !== undefined);
    if (!entry) return null;
    return { entry, state: staleness(entry.storedAt, entry.freshness, Date.now()) };
  }

  /** Counts a lookup as a hit or a miss, in all and for its worker. */
  countLookup(scope: CacheScope, hit: boolean): void {
    let tally = this.lookupsByWorker.get(scope.worker);
    if (!tally) this.lookupsByWorker.set(scope.worker, (tally = { hits: 0, misses: 0 }));
    if (hit) {
      this.counters.hits++;
      tally.hits++;
    } else {
      this.counters.misses++;
      tally.misses++;
    }
  }

  /**
   * Stores a response when HTTP caching allows it; answers the verdict. Tags
   * come from the response's Cache-Tag header (invalid ones skipped) and `tags`.
   */
  put(scope: CacheScope, url: string, request: { headers: HeaderPairs }, response: StoredResponse, options: { overrides?: TtlOverrides; tags?: readonly string[] } = {}): Storability {
    const now = Date.now();
    const verdict = storability(request, response.status, response.headers, now, options.overrides);
    if (!verdict.store) return verdict;
    if (response.body.byteLength > this.maxObjectBytes) return { store: false, reason: `the body is over the PoP's ${this.maxObjectBytes}-byte object limit` };
    const fromOrigin = listItems(header(response.headers, "cache-tag")).filter((tag) => tagProblem(tag) === null);
    const tags = [...new Set([...fromOrigin, ...(options.tags ?? [])].map(normalizeTag))];
    const entry: CacheEntry = { scope, url, status: response.status, statusText: response.statusText, headers: verdict.headers, body: response.body, storedAt: now, freshness: verdict.freshness, tags };
    if (!this.store.set(entry, request.headers)) return { store: false, reason: "the response is larger than the whole cache" };
    this.counters.stores++;
    return verdict;
  }

  delete(scope: CacheScope, url: string): boolean {
    return this.store.delete(scope, url);
  }

  /** Applies a purge to this PoP's store (from the feed, or locally). */
  applyPurge(purge: Purge): void {
    this.counters.purged += this.store.purge(purge);
  }

  /** Purges at every PoP: applied here at once, then broadcast and logged; resolves once the log has it. */
  async purge(purge: Purge): Promise<void> {
    if (this.#feed) await this.#feed.purge(purge);
    else this.applyPurge(purge);
  }

  async close(): Promise<void> {
    await this.#feed?.close();
  }
}
