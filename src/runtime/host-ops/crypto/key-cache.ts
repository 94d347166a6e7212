/** @module A bounded LRU cache of imported host keys, keyed by a digest of the sealed key, shared by every isolate of the process. */
import { hash, type webcrypto } from "node:crypto";

type HostKey = webcrypto.CryptoKey;

/** Entries the process keeps: enough for a PoP's hot keys, small next to its heap. */
export const KEY_CACHE_ENTRIES = 1000;

/** Imported keys by digest; an entry is a promise, so concurrent first uses share one import. */
export class KeyCache {
  readonly #entries = new Map<string, Promise<HostKey>>();
  readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The key of `sealed`, from the cache or from `load` (not cached when it fails). */
  get(sealed: Uint8Array, load: () => Promise<HostKey>): Promise<HostKey> {
    const id = digest(sealed);
    const cached = this.#entries.get(id);
    if (cached) {
      this.#entries.delete(id);
      this.#entries.set(id, cached);
      return cached;
    }
    const loading = load();
    this.#add(id, loading);
    loading.catch(() => {
      if (this.#entries.get(id) === loading) this.#entries.delete(id);
    });
    return loading;
  }

  /** Remembers a key just made, so that its first use needs no import. */
  put(sealed: Uint8Array, key: HostKey): void {
    this.#add(digest(sealed), Promise.resolve(key));
  }

  clear(): void {
    this.#entries.clear();
  }

  #add(id: string, key: Promise<HostKey>): void {
    this.#entries.delete(id);
    this.#entries.set(id, key);
    if (this.#entries.size > this.capacity) this.#entries.delete(this.#entries.keys().next().value as string);
  }
}

function digest(sealed: Uint8Array): string {
  return hash("sha256", sealed, "base64");
}

/** The process's cache. */
export const keyCache = new KeyCache(KEY_CACHE_ENTRIES);
