/**
 * @module How purges reach a PoP, and when its cache may be trusted.
 *
 * A purge is broadcast (pub/sub: fast, but lost across a cut link) and
 * appended to the durable stream `cache-purges`, which every PoP consumes in
 * order. The cache is *current* while the PoP knows it has every purge made
 * up to a recent moment: a check asks the store for the stream's tail and
 * waits until the PoP has applied up to it. A lost connection to the store,
 * or a check that does not come back within the lease, makes the cache not
 * current: it answers nothing until a check succeeds again, so a PoP cut off
 * during a purge has replayed the purge before it serves from cache.
 */
import { randomUUID } from "node:crypto";
import type { SubstrateView, Subscription } from "../substrate/types.js";
import { decodePurge, encodePurge, type Purge } from "./purge.js";

export const PURGE_STREAM = "cache-purges";
export const PURGE_SUBJECT = "cache.purge";
const RETRY_MS = 250;
/** How many applied purge ids a PoP remembers to skip the second copy of each. */
const SEEN_IDS = 4096;

export interface PurgeFeedOptions {
  /** How often the PoP confirms it has every purge (default 500 ms). */
  checkMs?: number;
  /** How long a confirmation is trusted (default 2000 ms): past it, the cache answers nothing. */
  leaseMs?: number;
}

/** Broadcasts a purge and appends it to the purge log; resolves with its sequence once durable. */
export async function publishPurge(view: SubstrateView, purge: Purge, signal?: AbortSignal, id: string = randomUUID()): Promise<number> {
  const data = encodePurge(purge, id);
  view.publish(PURGE_SUBJECT, data);
  return view.append(PURGE_STREAM, data, { signal });
}

export class PurgeFeed {
  readonly #view: SubstrateView;
  readonly #apply: (purge: Purge) => void;
  readonly #checkMs: number;
  readonly #leaseMs: number;
  readonly #abort = new AbortController();
  readonly #feeds = new Set<Subscription<unknown>>();
  readonly #waiters = new Set<{ seq: number; resolve: () => void }>();
  /** Ids of the purges applied lately, oldest first. */
  readonly #seen = new Set<string>();
  readonly #stopStatus: () => void;
  /** When the last confirmed check was sent (the cache starts empty: nothing to distrust). */
  #confirmedAt = Date.now();
  #connected = true;
  /** The last purge-log record applied; null until the first check gives the starting point. */
  #applied: number | null = null;
  #running: Promise<unknown> | undefined;
  #consuming: Promise<void> | undefined;

  constructor(view: SubstrateView, apply: (purge: Purge) => void, options: PurgeFeedOptions = {}) {
    this.#view = view;
    this.#apply = apply;
    this.#checkMs = options.checkMs ?? 500;
    this.#leaseMs = options.leaseMs ?? 2000;
    this.#stopStatus = view.onConnectionChange((status) => {
      this.#connected = status === "reconnected";
      // Whatever was confirmed before the loss no longer counts.
      if (!this.#connected) this.#confirmedAt = 0;
    });
  }

  /** True while cached responses may be served. */
  get current(): boolean {
    return this.#connected && Date.now() - this.#confirmedAt <= this.#leaseMs;
  }

  /** Starts listening (once). */
  start(): void {
    this.#running ??= Promise.all([this.#listen(), this.#checkLoop()]);
  }

  async #listen(): Promise<void> {
    const signal = this.#abort.signal;
    try {
      const sub = await this.#view.subscribe(PURGE_SUBJECT, { signal });
      this.#feeds.add(sub);
      for await (const message of sub) {
        this.#applyOnce(decodePurge(message.data));
      }
    } catch {
      // Closed, or the backend went away: the log and the checks cover what is missed.
    }
    if (!signal.aborted) {
      await sleep(RETRY_MS, signal);
      if (!signal.aborted) return this.#listen();
    }
  }

  /** Purges here at once, then at every PoP: broadcast and logged; resolves once the log has it. */
  async purge(purge: Purge): Promise<void> {
    const id = randomUUID();
    this.#applyOnce({ purge, id });
    await publishPurge(this.#view, purge, this.#abort.signal, id);
  }

  /**
   * Applies a purge unless its other copy (broadcast or log) already was: a
   * second application could remove what was cached after the first.
   */
  #applyOnce(decoded: { purge: Purge; id: string } | null): void {
    if (!decoded || this.#seen.has(decoded.id)) return;
    this.#seen.add(decoded.id);
    if (this.#seen.size > SEEN_IDS) this.#seen.delete(this.#seen.values().next().value!);
    this.#apply(decoded.purge);
  }

  async #consume(from: number): Promise<void> {
    const signal = this.#abort.signal;
    while (!signal.aborted) {
      try {
        const sub = await this.#view.consume(PURGE_STREAM, from, { signal });
        this.#feeds.add(sub);
        for await (const record of sub) {
          this.#applyOnce(decodePurge(record.data));
          this.#applied = record.seq;
          from = record.seq + 1;
          for (const waiter of [...this.#waiters]) if (waiter.seq <= record.seq) waiter.resolve();
        }
      } catch {
        // Resume from the next record.
      }
      if (!signal.aborted) await sleep(RETRY_MS, signal);
    }
  }

  async #checkLoop(): Promise<void> {
    const signal = this.#abort.signal;
    while (!signal.aborted) {
      const sentAt = Date.now();
      try {
        const timeout = AbortSignal.any([signal, AbortSignal.timeout(this.#leaseMs)]);
        const tail = await this.#view.lastSequence(PURGE_STREAM, { signal: timeout });
        if (this.#applied === null) {
          // The cache is empty at start: only purges after the tail matter.
          this.#applied = tail;
          this.#consuming = this.#consume(tail + 1);
        }
        await this.#appliedUpTo(tail, timeout);
        if (this.#connected) this.#confirmedAt = Math.max(this.#confirmedAt, sentAt);
      } catch {
        // No answer in time: the lease runs out and the cache stops answering until a check succeeds.
      }
      await sleep(this.#checkMs, signal);
    }
  }

  #appliedUpTo(seq: number, signal: AbortSignal): Promise<void> {
    if ((this.#applied ?? 0) >= seq) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = {
        seq,
        resolve: () => {
          this.#waiters.delete(waiter);
          signal.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.#waiters.delete(waiter);
        reject(signal.reason as Error);
      };
      this.#waiters.add(waiter);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  async close(): Promise<void> {
    this.#abort.abort();
    this.#stopStatus();
    await Promise.all([...this.#feeds].map((feed) => feed.close()));
    await this.#running;
    await this.#consuming;
  }
}

/** Waits `ms`, or less if `signal` aborts first. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
