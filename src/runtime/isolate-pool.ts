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
    let creating = 0;
    const lane = async () => {
      while (!this.#closed && this.#ready.length + creating < this.#options.size) {
        creating++;
        try {
          const sandbox = await Sandbox.create(this.#options.memoryMb);
          if (this.#closed) sandbox.dispose();
          else this.#ready.push(sandbox);
        } finally {
          creating--;
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

  /** A ready sandbox with the given heap limit: from the pool if it has one, else a new one. */
  async take(memoryMb: number): Promise<Sandbox> {
    const sandbox = memoryMb === this.#options.memoryMb ? this.#ready.shift() : undefined;
    // Refill after this cold start is served: creating an isolate blocks this thread for about a millisecond.
    setImmediate(() => {
      if (!this.#closed) this.fill().catch((error: unknown) => process.emitWarning(`isolate pool refill failed: ${String(error)}`));
    });
    return sandbox ?? Sandbox.create(memoryMb);
  }

  close(): void {
    this.#closed = true;
    for (const sandbox of this.#ready.splice(0)) sandbox.dispose();
  }
}
