/**
 * @module A substrate bucket over a JetStream KV bucket (history 1, file
 * storage): revisions are the KV stream's sequence numbers, compare-and-set is
 * an expected-last-subject-sequence write.
 */
import { KvWatchInclude, type KV, type KvWatchEntry } from "@nats-io/kv";
import { checkKey } from "../names.js";
import { PushSubscription } from "../queue.js";
import type { Bucket, BucketChange, BucketEntry, CasResult, Subscription, WaitOptions, WatchOptions } from "../types.js";
import type { PopConnection } from "./connection.js";
import { closedError, isWrongLastSequence, mapError } from "./errors.js";

const KEY_HEAD = /^[-/_=A-Za-z0-9]+(\.[-/_=A-Za-z0-9]+)*\.$/;

/** The KV key filter serving `prefix`: its part up to the last `.` plus `>`, or `>`; the rest is filtered here. */
export function keyFilter(prefix: string): string {
  const head = prefix.slice(0, prefix.lastIndexOf(".") + 1);
  return KEY_HEAD.test(head) ? `${head}>` : ">";
}

/** What `track` needs from the view: subscriptions to end when the view closes. */
export interface Tracker {
  track<T>(sub: PushSubscription<T>): PushSubscription<T>;
}

/** A Bucket of one PoP's view over JetStream KV. */
export class NatsBucket implements Bucket {
  private readonly watches = new Set<Subscription<BucketChange>>();

  constructor(
    readonly name: string,
    private readonly kv: KV,
    private readonly conn: PopConnection,
    private readonly tracker: Tracker,
  ) {}

  async get(key: string, options?: WaitOptions): Promise<BucketEntry | null> {
    checkKey(key);
    return this.conn.run(async () => {
      const entry = await this.kv.get(key);
      return entry && entry.operation === "PUT" ? { key, value: entry.value.slice(), revision: entry.revision } : null;
    }, options?.signal);
  }

  async put(key: string, value: Uint8Array, options?: WaitOptions): Promise<number> {
    checkKey(key);
    const bytes = value.slice();
    return this.conn.run(() => this.kv.put(key, bytes), options?.signal);
  }

  async delete(key: string, options?: WaitOptions): Promise<void> {
    checkKey(key);
    return this.conn.run(() => this.kv.delete(key), options?.signal);
  }

  async compareAndSet(key: string, value: Uint8Array, expectedRevision: number | null, options?: WaitOptions): Promise<CasResult> {
    checkKey(key);
    const bytes = value.slice();
    return this.conn.run(async (): Promise<CasResult> => {
      try {
        if (expectedRevision === null) return { ok: true, revision: await this.kv.create(key, bytes) };
        if (Number.isInteger(expectedRevision) && expectedRevision >= 1) return { ok: true, revision: await this.kv.update(key, bytes, expectedRevision) };
      } catch (error) {
        if (!isWrongLastSequence(error)) throw error;
      }
      const current = await this.kv.get(key);
      return { ok: false, currentRevision: current && current.operation === "PUT" ? current.revision : null };
    }, options?.signal);
  }

  async watch(prefix: string, options?: WatchOptions): Promise<Subscription<BucketChange>> {
    const from = options?.fromRevision;
    if (from !== undefined && (!Number.isInteger(from) || from < 1)) throw new RangeError(`Revision must be an integer >= 1: received ${from}`);
    let stop = (): void => {};
    const sub = this.tracker.track(new PushSubscription<BucketChange>(() => {
      stop();
      this.watches.delete(sub);
    }, options?.signal));
    this.watches.add(sub);
    try {
      const iterator = await this.conn.run(async () => {
        // Without fromRevision, deletions already stored are not reported: only those after this sequence.
        const initialUpTo = from === undefined ? (await this.kv.status()).streamInfo.state.last_seq : 0;
        const include = from === undefined ? KvWatchInclude.LastValue : KvWatchInclude.AllHistory;
        const watcher = await this.kv.watch({ key: keyFilter(prefix), include, resumeFromRevision: from });
        return { watcher, initialUpTo };
      }, options?.signal);
      stop = () => iterator.watcher.stop();
      if (sub.closed) stop();
      void this.pump(sub, iterator.watcher, prefix, iterator.initialUpTo);
    } catch (error) {
      await sub.close();
      throw error;
    }
    return sub;
  }

  /** Ends this handle's watches; the bucket itself stays. */
  async close(): Promise<void> {
    await Promise.all([...this.watches].map((watch) => watch.close()));
  }

  private async pump(sub: PushSubscription<BucketChange>, watcher: AsyncIterable<KvWatchEntry>, prefix: string, initialUpTo: number): Promise<void> {
    try {
      for await (const entry of watcher) {
        if (sub.closed) break;
        if (!entry.key.startsWith(prefix)) continue;
        if (entry.operation === "PUT") sub.push({ op: "put", key: entry.key, value: entry.value.slice(), revision: entry.revision });
        else if (entry.revision > initialUpTo) sub.push({ op: "delete", key: entry.key, revision: entry.revision });
      }
      sub.fail(closedError(this.conn.pop));
    } catch (error) {
      sub.fail(mapError(error, this.conn.pop));
    }
  }
}
