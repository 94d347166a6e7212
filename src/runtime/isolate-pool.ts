/**
 * @module A small pool of ready sandboxes (isolate created, prelude run), so
 * that a cold start only compiles and runs the worker's own script. Refilled
 * in the background after each take.
 */
import { Sandbox } from "./sandbox.js";

export interface IsolatePoolOptions {
  /** Ready sandboxes to keep. */
  size: number;
  /** Heap limit of pooled isolates; workers with another limit get a fresh isolate. */
  memoryMb: number;
}

export class IsolatePool {
  readonly #ready: Sandbox[] = [];
  readonly #options: IsolatePoolOptions;
  #filling: Promise<void> | null = null;
  /** Isolates being made by the refill right now. */
  #creating = 0;
  /** Cold starts waiting for the refill: the next isolate it finishes goes to the first of them. */
  readonly #waiters: ((sandbox: Sandbox) => void)[] = [];
  #closed = false;

  constructor(options: IsolatePoolOptions) {
    this.#options = options;
  }

  /**
   * Fills the pool; resolves when it is full. Two isolates are made at once:
   * most of the work (context, prelude) runs on isolated-vm's threads, so a
   * burst of cold starts is refilled about twice as fast.
   */
  fill(): Promise<void> {
    if (this.#filling) return this.#filling;
    const lane = async () => {
      while (!this.#closed && this.#ready.length + this.#creating < this.#options.size + this.#waiters.length) {
        this.#creating++;
        try {
          const sandbox = await Sandbox.create(this.#options.memoryMb);
          const waiter = this.#waiters.shift();
          if (this.#closed) sandbox.dispose();
          else if (waiter) waiter(sandbox);
          else this.#ready.push(sandbox);
        } finally {
          this.#creating--;
        }
      }
    };
    this.#filling = Promise.all([lane(), lane()])
      .then(() => {})
      .finally(() => {
        this.#filling = null;
      });
    return this.#filling;
  }

  /**
   * A ready sandbox with the given heap limit: from the pool if it has one;
   * else the next one the refill finishes, when it is making one (that is
   * sooner than starting another, which would compete with it for the CPU);
   * else a new one.
   */
  async take(memoryMb: number): Promise<Sandbox> {
    const pooled = memoryMb === this.#options.memoryMb;
    const sandbox = pooled ? this.#ready.shift() : undefined;
    // Refill after this cold start is served: creating an isolate blocks this thread for about a millisecond.
    setImmediate(() => this.#refill());
    if (sandbox) return sandbox;
    if (pooled && this.#creating > this.#waiters.length && !this.#closed) return new Promise((resolve) => this.#waiters.push(resolve));
    return Sandbox.create(memoryMb);
  }

  #refill(): void {
    if (!this.#closed) this.fill().catch((error: unknown) => process.emitWarning(`isolate pool refill failed: ${String(error)}`));
  }

  close(): void {
    this.#closed = true;
    for (const sandbox of this.#ready.splice(0)) sandbox.dispose();
  }
}
