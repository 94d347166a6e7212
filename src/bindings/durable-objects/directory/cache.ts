/**
 * @module The local cache of directory entries, kept current by the
 * directory's watch. Rules that keep it from going back in time:
 * - a watch change replaces a cached entry only when its revision is higher;
 * - a read from the store replaces the cached entry, unless a watch change
 *   arrived while the read was in flight (then the higher revision wins: a
 *   change racing a read may be older or newer, and a newer one arrives later);
 * - watch changes of keys not cached are dropped, except while a read of the
 *   key is in flight.
 * Bounded: least recently used entries go first. Disabled while the watch is
 * down (nothing is answered from it), emptied when it comes back.
 */
import type { Stored } from "./record.js";

/** A read in flight: the latest watch change of its key seen meanwhile. */
interface Flight {
  seen: Stored | undefined;
}

const newer = (a: Stored | undefined, b: Stored): Stored => (a && a.revision >= b.revision ? a : b);

/** Directory entries by bucket key, least recently used first. */
export class EntryCache {
  private readonly entries = new Map<string, Stored>();
  private readonly flights = new Map<string, Set<Flight>>();
  private enabled = true;

  constructor(private readonly capacity: number) {}

  /** Number of cached entries. */
  get size(): number {
    return this.entries.size;
  }

  /** True while entries may be answered from the cache. */
  get isEnabled(): boolean {
    return this.enabled;
  }

  /** The cached entry of `key`, marked as recently used; undefined when not cached or disabled. */
  peek(key: string): Stored | undefined {
    const stored = this.entries.get(key);
    if (!stored || !this.enabled) return undefined;
    this.entries.delete(key);
    this.entries.set(key, stored);
    return stored;
  }

  /** Reads `key` through `read` (from the store) and caches what it learnt, merged with changes seen meanwhile. */
  async read(key: string, read: () => Promise<Stored>): Promise<Stored> {
    const flight: Flight = { seen: undefined };
    let set = this.flights.get(key);
    if (!set) this.flights.set(key, (set = new Set()));
    set.add(flight);
    let fetched: Stored;
    try {
      fetched = await read();
    } finally {
      set.delete(flight);
      if (set.size === 0) this.flights.delete(key);
    }
    const best = flight.seen && flight.seen.revision > fetched.revision ? flight.seen : fetched;
    this.store(key, best);
    return best;
  }

  /** A change from the watch (or a write of this instance, whose revision is known). */
  change(key: string, stored: Stored): void {
    for (const flight of this.flights.get(key) ?? []) flight.seen = newer(flight.seen, stored);
    const cached = this.entries.get(key);
    if (cached && stored.revision > cached.revision) this.entries.set(key, stored);
  }

  /** A write of this instance: cached even when the key was not (its owner is likely asked next). */
  wrote(key: string, stored: Stored): void {
    this.change(key, stored);
    const cached = this.entries.get(key);
    if (!cached || stored.revision > cached.revision) this.store(key, stored);
  }

  /** Drops `key` (its entry could not be decoded). */
  forget(key: string): void {
    this.entries.delete(key);
  }

  /** Stops answering from the cache and empties it (the watch is down: changes may be missed). */
  disable(): void {
    this.enabled = false;
    this.entries.clear();
  }

  /** Answers from the cache again (the watch is back). */
  enable(): void {
    this.enabled = true;
  }

  private store(key: string, stored: Stored): void {
    if (!this.enabled) return;
    this.entries.delete(key);
    this.entries.set(key, stored);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }
}
