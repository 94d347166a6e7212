/**
 * @module A KV namespace at one PoP: its local replica, the consumer that
 * applies the namespace's stream `kv-<id>` to it in order, and the write
 * path (append to the stream, then apply at once for read-your-writes).
 * `catchUp()` waits until the replica has applied the stream's tail, for a
 * reader that has just started (a command-line client, a dev control call).
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { SubstrateView, Subscription, StreamRecord, WaitOptions } from "../../substrate/types.js";
import { decodeMutation, encodeMutation, type KvMutation } from "./codec.js";
import { KvReplica } from "./replica.js";

const RETRY_MS = 250;

export class KvNamespace {
  readonly replica: KvReplica;
  readonly stream: string;
  /** Milliseconds between a remote write and its application here, for the last one applied. */
  lagMs = 0;
  readonly #pop: string;
  readonly #substrate: SubstrateView | undefined;
  readonly #abort = new AbortController();
  #clock = 0;
  #subscription: Subscription<StreamRecord> | undefined;
  #replicating: Promise<void> | undefined;
  /** Callers of `catchUp`, each waiting for the sequence it needs. */
  readonly #waiters = new Set<{ seq: number; done: () => void }>();
  readonly #lagListeners = new Set<(lagMs: number, writer: string) => void>();

  constructor(id: string, pop: string, substrate: SubstrateView | undefined, dataDir: string | undefined) {
    this.#pop = pop;
    this.#substrate = substrate;
    this.stream = `kv-${id}`;
    let file = ":memory:";
    if (dataDir !== undefined) {
      const dir = join(dataDir, "kv", pop);
      mkdirSync(dir, { recursive: true });
      file = join(dir, `${id}.sqlite3`);
    }
    this.replica = new KvReplica(file);
  }

  /** Calls `listener` with the lag of every write from another PoP applied here, and its writer; answers a function that stops it. */
  onLag(listener: (lagMs: number, writer: string) => void): () => void {
    this.#lagListeners.add(listener);
    return () => this.#lagListeners.delete(listener);
  }

  /** Starts applying the stream (once; a lone PoP without a substrate has nothing to apply). */
  start(): void {
    if (this.#substrate && !this.#replicating) this.#replicating = this.#replicate(this.#substrate);
  }

  /**
   * Appends a mutation to the stream and applies it here; resolves once the
   * append is durable. It does not start replication: `start()` does.
   */
  async write(mutation: Omit<KvMutation, "ts" | "pop">, options: WaitOptions = {}): Promise<void> {
    if (this.#abort.signal.aborted) throw new Error("The PoP is shutting down");
    // A hybrid clock: wall time, but past every timestamp issued or seen here, so a later write here always wins.
    this.#clock = Math.max(Date.now(), this.#clock + 1);
    const full: KvMutation = { ...mutation, ts: this.#clock, pop: this.#pop };
    if (this.#substrate) await this.#substrate.append(this.stream, encodeMutation(full), { signal: this.#signal(options) });
    this.replica.apply(full, null);
  }

  /**
   * Starts replicating and resolves once the replica has applied every record
   * the stream held when called (its `lastSequence`), so that a read after it
   * sees every write acknowledged before the call.
   */
  async catchUp(options: WaitOptions = {}): Promise<void> {
    if (!this.#substrate) return;
    this.start();
    const signal = this.#signal(options);
    const tail = await this.#substrate.lastSequence(this.stream, { signal });
    if (this.replica.appliedSeq >= tail) return;
    signal.throwIfAborted();
    await new Promise<void>((resolve, reject) => {
      const waiter = { seq: tail, done: () => finish(resolve) };
      const stop = () => finish(() => reject(signal.reason));
      const finish = (then: () => void) => {
        this.#waiters.delete(waiter);
        signal.removeEventListener("abort", stop);
        then();
      };
      this.#waiters.add(waiter);
      signal.addEventListener("abort", stop, { once: true });
    });
  }

  /** The namespace's own signal (aborted on close), joined with the caller's. */
  #signal(options: WaitOptions): AbortSignal {
    return options.signal ? AbortSignal.any([this.#abort.signal, options.signal]) : this.#abort.signal;
  }

  async #replicate(substrate: SubstrateView): Promise<void> {
    const signal = this.#abort.signal;
    while (!signal.aborted) {
      try {
        this.#subscription = await substrate.consume(this.stream, this.replica.appliedSeq + 1, { signal });
        for await (const record of this.#subscription) this.#apply(record);
      } catch {
        // The backend went away (or we are closing): resume from the last applied record.
      }
      if (!signal.aborted) await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }

  #apply(record: StreamRecord): void {
    let mutation: KvMutation;
    try {
      mutation = decodeMutation(record.data);
    } catch {
      this.replica.markApplied(record.seq);
      this.#wake(record.seq);
      return;
    }
    this.#clock = Math.max(this.#clock, mutation.ts);
    this.replica.apply(mutation, record.seq);
    if (mutation.pop !== this.#pop) {
      this.lagMs = Date.now() - mutation.ts;
      for (const listener of this.#lagListeners) {
        try {
          listener(Math.max(0, this.lagMs), mutation.pop);
        } catch {
          // An observer's failure must not stop replication.
        }
      }
    }
    this.#wake(record.seq);
  }

  #wake(applied: number): void {
    for (const waiter of this.#waiters) if (waiter.seq <= applied) waiter.done();
  }

  async close(): Promise<void> {
    this.#abort.abort();
    await this.#subscription?.close();
    await this.#replicating;
    this.replica.close();
  }
}
