/**
 * @module The Durable Objects directory: one owner PoP per object in the
 * whole network, over one substrate bucket. A claim takes an absent,
 * released or expired entry with compare-and-set (of racers expecting the
 * same revision exactly one wins; the others read the winner back); an owner
 * keeps its entry by renewing the lease with compare-and-set on its own
 * revision; lookups answer from a cache that the bucket's watch keeps current.
 */
import { randomUUID } from "node:crypto";
import type { Bucket, BucketChange, SubstrateView, WaitOptions } from "../../../substrate/types.js";
import { EntryCache } from "./cache.js";
import { DirectoryError } from "./errors.js";
import { ChangeFeed } from "./feed.js";
import { bucketKey, checkLeaseMs, checkOption, checkPop, checkRegion, type ObjectKey } from "./keys.js";
import { Lease, type KeepOptions } from "./lease.js";
import { decodeRecord, encodeRecord, lostError, type DirectoryRecord, type Ownership, type Stored } from "./record.js";

/** Tries of a claim, a renew or a release when the entry changes under it. */
const MAX_ATTEMPTS = 5;

/** Options of `Directory.open`. */
export interface DirectoryOptions extends WaitOptions {
  /** The bucket; default `do-directory`. */
  bucket?: string;
  /** The wall clock, in ms since the epoch; default `Date.now`. */
  now?: () => number;
  /**
   * The most two PoPs' wall clocks may disagree, in ms; default 1000. A lease
   * written by another PoP counts as over only once this PoP's clock passes
   * its end by this margin, so an owner whose clock is behind by up to the
   * margin still has its whole lease. Clocks off by more break the guarantee.
   */
  skewMarginMs?: number;
  /** Most entries kept in the lookup cache; default 10,000. */
  cacheSize?: number;
}

/** Options of `claim`. */
export interface ClaimOptions extends WaitOptions {
  /** The PoP that becomes the owner (normally this view's PoP). */
  pop: string;
  /** Lease length in ms: the owner must renew within it. */
  leaseMs: number;
  /** The object's location hint, recorded with the entry and kept across owners. */
  preferredRegion?: string;
}

/** Options of `lookup`. */
export interface LookupOptions extends WaitOptions {
  /** Read the store instead of the cache (after a forward to the cached owner failed). */
  fresh?: boolean;
}

/** Counters of one directory instance. */
export interface DirectoryStats {
  lookups: number;
  cacheHits: number;
  storeReads: number;
  cached: number;
}

/**
 * One PoP's handle on the directory.
 *
 * @example
 * const directory = await Directory.open(substrate.forPop("tokyo"));
 * const owner = await directory.claim({ namespace: "chat-Room", id }, { pop: "tokyo", leaseMs: 10_000 });
 * if (owner.mine) directory.keep(owner, { onLost: stopInstance }); else forwardTo(owner.pop);
 */
export class Directory {
  /** This instance as a holder: a PoP that restarts is a new holder and waits for its old leases to run out. */
  readonly holder: string;
  private readonly cache: EntryCache;
  private readonly listeners = new Map<string, Set<(stored: Stored | null) => void>>();
  private readonly leases = new Set<Lease>();
  private readonly counters = { lookups: 0, cacheHits: 0, storeReads: 0 };
  private feed: ChangeFeed | undefined;
  private closed = false;

  private constructor(
    private readonly bucket: Bucket,
    readonly pop: string,
    private readonly now: () => number,
    /** See `DirectoryOptions.skewMarginMs`. */
    readonly skewMarginMs: number,
    cacheSize: number,
  ) {
    this.holder = `${pop}/${randomUUID()}`;
    this.cache = new EntryCache(cacheSize);
  }

  /** Opens the directory bucket through `view` and starts watching it; resolves once the watch is registered. */
  static async open(view: SubstrateView, options: DirectoryOptions = {}): Promise<Directory> {
    const skew = checkOption("Clock skew margin", options.skewMarginMs ?? 1000, 0);
    const cacheSize = checkOption("Cache size", options.cacheSize ?? 10_000, 1);
    const bucket = await view.bucket(options.bucket ?? "do-directory", { signal: options.signal });
    const directory = new Directory(bucket, view.pop, options.now ?? Date.now, skew, cacheSize);
    try {
      directory.feed = await ChangeFeed.open(bucket, view.pop, directory.sink, options.signal);
    } catch (error) {
      await bucket.close();
      throw error;
    }
    return directory;
  }

  /**
   * Takes the object for `options.pop` when its entry is absent, released or
   * expired; answers the current owner when another holder's lease is live.
   * The answer is `mine` when this instance holds it (then keep it with `keep`).
   */
  async claim(key: ObjectKey, options: ClaimOptions): Promise<Ownership> {
    const k = bucketKey(key);
    const pop = checkPop(options?.pop);
    const leaseMs = checkLeaseMs(options.leaseMs);
    const region = checkRegion(options.preferredRegion);
    this.checkOpen();
    let fromStore = false;
    let current = this.cache.peek(k);
    if (!current) [current, fromStore] = [await this.read(k, options.signal), true];
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const record = current.record;
      const same = record !== null && record.pop === pop && record.holder === this.holder;
      if (record?.pop && !same && !this.expired(record)) {
        // Held elsewhere: answered from the store, never from a cache that may lag.
        if (fromStore) return this.ownership(k, current)!;
        [current, fromStore] = [await this.read(k, options.signal), true];
        continue;
      }
      if (same && this.now() <= record.expiresAt) return this.ownership(k, current)!;
      const epoch = record === null ? 1 : same ? record.epoch : record.epoch + 1;
      const next: DirectoryRecord = { pop, holder: this.holder, epoch, expiresAt: 0, leaseMs, region: region ?? record?.region ?? null };
      const written = await this.write(k, next, record === null ? null : current.revision, options.signal);
      if (written) return written;
      [current, fromStore] = [await this.read(k, options.signal), true];
    }
    throw new DirectoryError("contended", `Claim of "${k}" failed: the entry changed ${MAX_ATTEMPTS} times under it`);
  }

  /** Extends this instance's lease by its length; throws `lease_lost` when another holder took the object or it was released. */
  async renew(ownership: Ownership, options: WaitOptions = {}): Promise<Ownership> {
    this.checkMine(ownership, "renew");
    let expected = ownership.revision;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const next = { ...this.recordOf(ownership), expiresAt: 0 };
      const written = await this.write(ownership.key, next, expected, options.signal);
      if (written) return written;
      const current = await this.read(ownership.key, options.signal);
      // Still ours (a renew whose answer was lost, or another caller in this instance): compare against that.
      if (!this.continues(ownership, current)) throw lostError(ownership, current);
      expected = current.revision;
    }
    throw new DirectoryError("contended", `Renew of "${ownership.key}" failed: the entry changed ${MAX_ATTEMPTS} times under it`);
  }

  /**
   * Gives the object up: writes an entry without owner that keeps the epoch,
   * so the next claim anywhere takes it at once with a higher epoch. Resolves
   * false when it was no longer this instance's.
   */
  async release(ownership: Ownership, options: WaitOptions = {}): Promise<boolean> {
    this.checkMine(ownership, "release");
    let expected = ownership.revision;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const next = { ...this.recordOf(ownership), pop: null, expiresAt: 0 };
      if ((await this.compareAndSet(ownership.key, next, expected, options.signal)) !== null) return true;
      const current = await this.read(ownership.key, options.signal);
      if (!this.continues(ownership, current)) return false;
      expected = current.revision;
    }
    return false;
  }

  /**
   * The object's owner (live or not: see `live`), or null when it has none.
   * Usually answered from the local cache, which the watch keeps current;
   * `fresh` reads the store.
   */
  async lookup(key: ObjectKey, options: LookupOptions = {}): Promise<Ownership | null> {
    const k = bucketKey(key);
    this.checkOpen();
    this.counters.lookups++;
    const cached = options.fresh ? undefined : this.cache.peek(k);
    if (cached) this.counters.cacheHits++;
    return this.ownership(k, cached ?? (await this.read(k, options.signal)));
  }

  /** Renews `ownership` every `renewEveryMs` (default a third of the lease) until stopped, released or lost. */
  keep(ownership: Ownership, options: KeepOptions = {}): Lease {
    this.checkMine(ownership, "keep");
    const lease = new Lease(this, ownership, options, () => this.leases.delete(lease));
    this.leases.add(lease);
    return lease;
  }

  /** True while `ownership`'s lease has not run out by this PoP's clock (with the skew margin for other holders). */
  isLive(ownership: Pick<Ownership, "expiresAt" | "mine">): boolean {
    return this.now() <= ownership.expiresAt + (ownership.mine ? 0 : this.skewMarginMs);
  }

  /** Calls `listener` with every change of the entry under bucket key `key` seen by the watch (null: undecodable). */
  onEntryChange(key: string, listener: (stored: Stored | null) => void): () => void {
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(key);
    };
  }

  /** Counters of lookups and reads, and the cache's size. */
  stats(): DirectoryStats {
    return { ...this.counters, cached: this.cache.size };
  }

  /** Stops the watch and every keeper (their signals abort with `closed`; leases are not released). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const lease of [...this.leases]) lease.end(new DirectoryError("closed", `Directory of PoP "${this.pop}" was closed`));
    await this.feed?.close();
    await this.bucket.close();
  }

  /** What the watch tells the cache and the keepers. */
  private readonly sink = {
    change: (change: BucketChange): void => {
      let stored: Stored | null = { revision: change.revision, record: null };
      if (change.op === "put") {
        try {
          stored.record = decodeRecord(change.value, change.key, change.revision);
        } catch {
          stored = null;
        }
      }
      if (stored) this.cache.change(change.key, stored);
      else this.cache.forget(change.key);
      for (const listener of [...(this.listeners.get(change.key) ?? [])]) listener(stored);
    },
    gap: (): void => this.cache.disable(),
    resumed: (): void => this.cache.enable(),
  };

  /** Writes `record` with a lease starting now if the entry is still at `expected`; the new ownership, or null on a conflict. */
  private async write(k: string, record: DirectoryRecord, expected: number | null, signal?: AbortSignal): Promise<Ownership | null> {
    // The lease counts from before the write: on this PoP's monotonic clock for its own use, on its wall clock for others.
    const started = performance.now();
    const next = { ...record, expiresAt: this.now() + record.leaseMs };
    const revision = await this.compareAndSet(k, next, expected, signal);
    return revision === null ? null : this.ownership(k, { revision, record: next }, started + next.leaseMs);
  }

  /** Writes `record` if the entry is still at `expected`; its revision, or null on a conflict. */
  private async compareAndSet(k: string, record: DirectoryRecord, expected: number | null, signal?: AbortSignal): Promise<number | null> {
    const result = await this.bucket.compareAndSet(k, encodeRecord(record), expected, { signal });
    if (!result.ok) return null;
    this.cache.wrote(k, { revision: result.revision, record });
    return result.revision;
  }

  private async read(k: string, signal?: AbortSignal): Promise<Stored> {
    this.counters.storeReads++;
    return this.cache.read(k, async () => {
      const entry = await this.bucket.get(k, { signal });
      return entry ? { revision: entry.revision, record: decodeRecord(entry.value, k, entry.revision) } : { revision: 0, record: null };
    });
  }

  /** The ownership `stored` describes, or null when it names no owner. */
  private ownership(k: string, stored: Stored, validUntil?: number): Ownership | null {
    const record = stored.record;
    if (!record?.pop) return null;
    const mine = record.holder === this.holder;
    const { pop, epoch, expiresAt, leaseMs, region } = record;
    // Without the start of the write at hand, the wall clock's distance to the end (this instance wrote it, with this clock).
    const until = mine ? (validUntil ?? performance.now() + (expiresAt - this.now())) : null;
    return { key: k, pop, epoch, expiresAt, leaseMs, preferredRegion: region, revision: stored.revision, holder: record.holder, mine, live: this.isLive({ expiresAt, mine }), validUntil: until };
  }

  private expired(record: DirectoryRecord): boolean {
    return this.now() > record.expiresAt + this.skewMarginMs;
  }

  private recordOf(ownership: Ownership): DirectoryRecord {
    return { pop: ownership.pop, holder: this.holder, epoch: ownership.epoch, expiresAt: ownership.expiresAt, leaseMs: ownership.leaseMs, region: ownership.preferredRegion };
  }

  /** True when `stored` is still `ownership`'s holder, PoP and epoch (at another revision). */
  private continues(ownership: Ownership, stored: Stored): boolean {
    const record = stored.record;
    return record !== null && record.holder === this.holder && record.pop === ownership.pop && record.epoch === ownership.epoch;
  }

  private checkMine(ownership: Ownership, what: string): void {
    this.checkOpen();
    if (ownership?.holder !== this.holder || typeof ownership.key !== "string") {
      throw new DirectoryError("not_owner", `Cannot ${what} "${ownership?.key}": it is held by PoP "${ownership?.pop}" (epoch ${ownership?.epoch}), not by this directory of PoP "${this.pop}"`);
    }
  }

  private checkOpen(): void {
    if (this.closed) throw new DirectoryError("closed", `Directory of PoP "${this.pop}" is closed`);
  }
}
