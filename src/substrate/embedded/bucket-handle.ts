/** @module A bucket as one PoP sees it in the embedded backend: each call is a round trip to the store. */
import { checkKey } from "../names.js";
import { PushSubscription } from "../queue.js";
import type { Bucket, BucketChange, BucketEntry, CasResult, Subscription, WaitOptions, WatchOptions } from "../types.js";
import type { EmbeddedView } from "./view.js";

const copyEntry = (entry: BucketEntry | null): BucketEntry | null => entry && { ...entry, value: entry.value.slice() };
const copyChange = (change: BucketChange): BucketChange => (change.op === "put" ? { ...change, value: change.value.slice() } : { ...change });

/** The embedded Bucket: values are copied on the way in and out, as over a wire. */
export class EmbeddedBucket implements Bucket {
  private readonly watches = new Set<Subscription<BucketChange>>();

  constructor(
    readonly name: string,
    private readonly view: EmbeddedView,
  ) {}

  async get(key: string, options?: WaitOptions): Promise<BucketEntry | null> {
    checkKey(key);
    return this.view.call(async (store) => copyEntry((await store.bucket(this.name)).get(key)), options);
  }

  async put(key: string, value: Uint8Array, options?: WaitOptions): Promise<number> {
    checkKey(key);
    const bytes = value.slice();
    return this.view.call(async (store) => (await store.bucket(this.name)).put(key, bytes), options);
  }

  async delete(key: string, options?: WaitOptions): Promise<void> {
    checkKey(key);
    return this.view.call(async (store) => (await store.bucket(this.name)).delete(key), options);
  }

  async compareAndSet(key: string, value: Uint8Array, expectedRevision: number | null, options?: WaitOptions): Promise<CasResult> {
    checkKey(key);
    const bytes = value.slice();
    return this.view.call(async (store) => (await store.bucket(this.name)).compareAndSet(key, bytes, expectedRevision), options);
  }

  async watch(prefix: string, options?: WatchOptions): Promise<Subscription<BucketChange>> {
    const from = options?.fromRevision;
    if (from !== undefined && (!Number.isInteger(from) || from < 1)) throw new RangeError(`Revision must be an integer >= 1: received ${from}`);
    let stop = (): void => {};
    const sub = this.view.track(new PushSubscription<BucketChange>(() => {
      stop();
      this.watches.delete(sub);
    }, options?.signal));
    this.watches.add(sub);
    await this.view.call(async (store) => {
      const bucket = await store.bucket(this.name);
      if (sub.closed) return;
      stop = bucket.watch(prefix, from, (change) => this.view.fromStore(() => sub.push(copyChange(change))));
    }, options);
    return sub;
  }

  /** Ends this handle's watches; the bucket itself stays. */
  async close(): Promise<void> {
    await Promise.all([...this.watches].map((watch) => watch.close()));
  }
}
