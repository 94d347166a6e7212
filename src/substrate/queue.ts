/** @module A push-fed Subscription: an unbounded async queue that closes cleanly or fails. */
import type { Subscription } from "./types.js";

/**
 * A Subscription fed by `push`. `close()` (or the signal) ends iteration at once,
 * dropping what is queued; `fail(error)` ends it with that error once queued items are read.
 *
 * @example const queue = new PushSubscription<number>(); queue.push(1); for await (const n of queue) …
 */
export class PushSubscription<T> implements Subscription<T> {
  private readonly items: T[] = [];
  private readonly waiters: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void }[] = [];
  private ended = false;
  private failure: { error: unknown } | undefined;
  private readonly onAbort = (): void => this.end(true);

  /** `onClose` runs once, whichever way the subscription ends. */
  constructor(
    private readonly onClose: () => void = () => {},
    private readonly signal?: AbortSignal,
  ) {
    if (signal?.aborted) this.end(true);
    else signal?.addEventListener("abort", this.onAbort, { once: true });
  }

  /** True once closed or failed. */
  get closed(): boolean {
    return this.ended;
  }

  /** Delivers one item (ignored after the end). */
  push(item: T): void {
    if (this.ended) return;
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve({ value: item, done: false });
    else this.items.push(item);
  }

  /** Ends with `error`, after the items already queued. */
  fail(error: unknown): void {
    if (this.ended) return;
    this.failure = { error };
    this.end(false);
  }

  async close(): Promise<void> {
    this.end(true);
  }

  private end(dropQueued: boolean): void {
    if (this.ended) return;
    this.ended = true;
    if (dropQueued) this.items.length = 0;
    this.signal?.removeEventListener("abort", this.onAbort);
    for (const waiter of this.waiters.splice(0)) {
      if (this.failure) waiter.reject(this.failure.error);
      else waiter.resolve({ value: undefined, done: true });
    }
    this.onClose();
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.items.length > 0) return Promise.resolve({ value: this.items.shift() as T, done: false });
        if (this.failure) return Promise.reject(this.failure.error);
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
      },
      return: async () => {
        this.end(true);
        return { value: undefined, done: true };
      },
    };
  }
}
