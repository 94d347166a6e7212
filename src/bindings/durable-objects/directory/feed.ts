/**
 * @module The directory's watch on its bucket. It starts at the bucket's
 * current revision, learnt by writing this PoP's marker key
 * (`opened.<pop>`), so opening never reads the whole directory; and when the
 * watch fails it resumes from the last revision seen, reporting the gap so
 * that the cache stops answering meanwhile.
 */
import type { Bucket, BucketChange, Subscription } from "../../../substrate/types.js";
import { SubstrateError } from "../../../substrate/errors.js";
import { OBJECT_PREFIX } from "./keys.js";

/** Wait before watching again after the watch failed. */
const RETRY_MS = 250;

/** What the feed tells the directory. */
export interface FeedSink {
  /** One change of an object's key, in revision order. */
  change(change: BucketChange): void;
  /** The watch failed: changes may be missed until `resumed`. */
  gap(error: unknown): void;
  /** The watch is back; every change since the last one seen follows. */
  resumed(): void;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
async function pause(ms: number, signal: AbortSignal): Promise<void> {
  await new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** A watch of every object key, resumed after failures until closed. */
export class ChangeFeed {
  private sub: Subscription<BucketChange> | undefined;
  private readonly stop = new AbortController();
  private lastRevision: number;

  private constructor(
    private readonly bucket: Bucket,
    private readonly sink: FeedSink,
    startRevision: number,
  ) {
    this.lastRevision = startRevision - 1;
  }

  /** Writes the marker, then watches from the revision after it; resolves once the watch is registered. */
  static async open(bucket: Bucket, pop: string, sink: FeedSink, signal?: AbortSignal): Promise<ChangeFeed> {
    const marker = await bucket.put(`opened.${pop}`, new TextEncoder().encode(JSON.stringify({ at: Date.now() })), { signal });
    const feed = new ChangeFeed(bucket, sink, marker + 1);
    feed.sub = await bucket.watch(OBJECT_PREFIX, { fromRevision: marker + 1, signal });
    void feed.pump(feed.sub);
    return feed;
  }

  /** Ends the watch. */
  async close(): Promise<void> {
    this.stop.abort();
    await this.sub?.close();
  }

  private async pump(sub: Subscription<BucketChange>): Promise<void> {
    try {
      for await (const change of sub) {
        this.lastRevision = Math.max(this.lastRevision, change.revision);
        this.sink.change(change);
      }
      if (this.stop.signal.aborted) return;
      this.sink.gap(new Error("The directory watch ended"));
    } catch (error) {
      if (this.stop.signal.aborted) return;
      this.sink.gap(error);
    }
    await this.resume();
  }

  /** Watches again from the revision after the last seen, retrying until it works or the feed closes. */
  private async resume(): Promise<void> {
    const signal = this.stop.signal;
    while (!signal.aborted) {
      await pause(RETRY_MS, signal);
      if (signal.aborted) return;
      try {
        this.sub = await this.bucket.watch(OBJECT_PREFIX, { fromRevision: this.lastRevision + 1, signal });
      } catch (error) {
        this.sink.gap(error);
        // A view that is closed refuses at once, and for good: lookups go to the store (and fail there).
        if (error instanceof SubstrateError && error.code === "closed") return;
        continue;
      }
      this.sink.resumed();
      void this.pump(this.sub);
      return;
    }
  }
}
