/**
 * @module A PoP's cache storage: responses in memory, bounded in bytes with
 * least-recently-used eviction, with variants by Vary and an index by tag
 * for purges. Keys are scoped by worker and cache name, so one tenant never
 * sees another's entries.
 */
import { header, listItems, type HeaderPairs } from "./headers.js";
import type { Freshness } from "./policy.js";
import { withoutScheme, type Purge } from "./purge.js";

/** Whose cache: the worker (tenant) and the cache name ("" for `caches.default` and fetch). */
export interface CacheScope {
  worker: string;
  cacheName: string;
}

export interface StoredResponse {
  status: number;
  statusText: string;
  headers: [string, string][];
  body: Uint8Array;
}

export interface CacheEntry extends StoredResponse {
  scope: CacheScope;
  /** The URL (or custom cache key) the entry is stored under. */
  url: string;
  storedAt: number;
  freshness: Freshness;
  /** Lower-case tags: the origin's Cache-Tag and the worker's `cf.cacheTags`. */
  tags: readonly string[];
}

interface Slot {
  entry: CacheEntry;
  primary: string;
  size: number;
}

const primaryKey = (scope: CacheScope, url: string): string => `${scope.worker}\n${scope.cacheName}\n${url}`;

/** The values of the request headers a Vary names, as one secondary key. */
function variantKey(varyNames: readonly string[], requestHeaders: HeaderPairs): string {
  return varyNames.map((name) => header(requestHeaders, name) ?? "").join("\n");
}

function sizeOf(entry: CacheEntry): number {
  let size = entry.body.byteLength + entry.url.length + 64;
  for (const [name, value] of entry.headers) size += name.length + value.length;
  return size;
}

export class CacheStore {
  /** Insertion order is recency: a hit moves its slot to the end. */
  readonly #slots = new Map<string, Slot>();
  /** Per primary key: the Vary names of its variants and their full keys. */
  readonly #primaries = new Map<string, { vary: string[]; keys: Set<string> }>();
  readonly #byTag = new Map<string, Set<string>>();
  #bytes = 0;

  constructor(
    /** The bound: storing past it evicts the least recently used entries. */
    readonly maxBytes: number,
  ) {}

  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#slots.size;
  }

  /** The entry answering a request for `url` with `requestHeaders` (its Vary applied), marked recently used. */
  get(scope: CacheScope, url: string, requestHeaders: HeaderPairs): CacheEntry | undefined {
    const primary = this.#primaries.get(primaryKey(scope, url));
    if (!primary) return undefined;
    const key = `${primaryKey(scope, url)}\0${variantKey(primary.vary, requestHeaders)}`;
    const slot = this.#slots.get(key);
    if (!slot) return undefined;
    this.#slots.delete(key);
    this.#slots.set(key, slot);
    return slot.entry;
  }

  /** Stores `entry` as the variant for `requestHeaders`; false when it alone is over the bound. */
  set(entry: CacheEntry, requestHeaders: HeaderPairs): boolean {
    const size = sizeOf(entry);
    if (size > this.maxBytes) return false;
    const primaryId = primaryKey(entry.scope, entry.url);
    const vary = listItems(header(entry.headers, "vary")).map((name) => name.toLowerCase());
    const existing = this.#primaries.get(primaryId);
    // A response with other Vary names replaces every variant stored under the old ones.
    if (existing && existing.vary.join() !== vary.join()) for (const key of [...existing.keys]) this.#remove(key);
    const key = `${primaryId}\0${variantKey(vary, requestHeaders)}`;
    this.#remove(key);
    let primary = this.#primaries.get(primaryId);
    if (!primary) this.#primaries.set(primaryId, (primary = { vary, keys: new Set() }));
    primary.keys.add(key);
    this.#slots.set(key, { entry, primary: primaryId, size });
    for (const tag of entry.tags) {
      let keys = this.#byTag.get(tag);
      if (!keys) this.#byTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
    this.#bytes += size;
    while (this.#bytes > this.maxBytes) {
      const oldest = this.#slots.keys().next().value;
      if (oldest === undefined) break;
      this.#remove(oldest);
    }
    return true;
  }

  /** Replaces a stored variant's headers and freshness after a 304 from the origin. */
  refresh(entry: CacheEntry, headers: [string, string][], storedAt: number, freshness: Freshness): void {
    entry.headers = headers;
    entry.storedAt = storedAt;
    entry.freshness = freshness;
  }

  /** Deletes every variant of `url`; true when something was stored. */
  delete(scope: CacheScope, url: string): boolean {
    const primary = this.#primaries.get(primaryKey(scope, url));
    if (!primary) return false;
    for (const key of [...primary.keys]) this.#remove(key);
    return true;
  }

  /** Removes what `purge` names; returns how many entries went. */
  purge(purge: Purge): number {
    const before = this.#slots.size;
    const inScope = (slot: Slot) => purge.worker === undefined || slot.entry.scope.worker === purge.worker;
    if (purge.kind === "tag") {
      for (const tag of purge.tags) {
        for (const key of [...(this.#byTag.get(tag) ?? [])]) {
          const slot = this.#slots.get(key);
          if (slot && inScope(slot)) this.#remove(key);
        }
      }
      return before - this.#slots.size;
    }
    const urls = purge.kind === "url" ? new Set(purge.urls.map(withoutScheme)) : null;
    const prefixes = purge.kind === "prefix" ? purge.prefixes.map(withoutScheme) : null;
    for (const [key, slot] of [...this.#slots]) {
      if (!inScope(slot)) continue;
      const bare = withoutScheme(slot.entry.url);
      if (purge.kind === "everything" || urls?.has(bare) || prefixes?.some((prefix) => bare.startsWith(prefix))) this.#remove(key);
    }
    return before - this.#slots.size;
  }

  #remove(key: string): void {
    const slot = this.#slots.get(key);
    if (!slot) return;
    this.#slots.delete(key);
    this.#bytes -= slot.size;
    const primary = this.#primaries.get(slot.primary);
    primary?.keys.delete(key);
    if (primary?.keys.size === 0) this.#primaries.delete(slot.primary);
    for (const tag of slot.entry.tags) {
      const keys = this.#byTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.#byTag.delete(tag);
    }
  }
}
