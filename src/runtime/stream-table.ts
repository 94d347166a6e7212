/**
 * @module The host's side of streams that cross the bridge for one
 * invocation. Host streams (an incoming request body, a fetched response
 * body) are read by the isolate one chunk per `stream.read` op. Isolate
 * streams (the response body, an upload) are pulled by the host one chunk
 * per `pull` entry, so a slow client slows the worker instead of filling
 * memory.
 */
import { Entry, type WireError } from "./bridge/protocol.js";
import type { Invocation } from "./invocation.js";

interface HostStream {
  iterator: AsyncIterator<Uint8Array>;
  cancel?: () => void;
  reading: boolean;
}

interface ChunkWaiter {
  resolve(chunk: Uint8Array | null): void;
  reject(error: Error): void;
}

let nextHostStreamId = 1;

export class StreamTable {
  readonly #invocation: Invocation;
  readonly #host = new Map<number, HostStream>();
  readonly #waiters = new Map<number, ChunkWaiter>();

  constructor(invocation: Invocation) {
    this.#invocation = invocation;
  }

  /** Offers a host stream to the isolate; returns its id. */
  offer(source: AsyncIterable<Uint8Array>, cancel?: () => void): number {
    const id = nextHostStreamId++;
    this.#host.set(id, { iterator: source[Symbol.asyncIterator](), cancel, reading: false });
    return id;
  }

  /** Op stream.read: settle `opId` with the next chunk, or null at the end. */
  read(streamId: number, opId: number): void {
    const stream = this.#host.get(streamId);
    if (!stream) return this.#invocation.rejectWith(opId, "TypeError", `The stream ${streamId} is closed or unknown`);
    if (stream.reading) return this.#invocation.rejectWith(opId, "TypeError", "A read is already pending on this stream");
    stream.reading = true;
    stream.iterator.next().then(
      ({ done, value }) => {
        stream.reading = false;
        if (done) this.#host.delete(streamId);
        this.#invocation.settle(opId, true, done ? null : value);
      },
      (error: unknown) => {
        stream.reading = false;
        this.#host.delete(streamId);
        this.#invocation.rejectWith(opId, "TypeError", `The stream failed: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
  }

  /** Op stream.cancel: the isolate no longer wants a host stream. */
  cancel(streamId: number): void {
    const stream = this.#host.get(streamId);
    this.#host.delete(streamId);
    if (!stream) return;
    stream.cancel?.();
    void stream.iterator.return?.().catch(() => {});
  }

  /** Reads an isolate stream as an async iterable of chunks. */
  pullFrom(streamId: number): AsyncIterable<Uint8Array> & { cancel(): void } {
    const pull = () =>
      new Promise<Uint8Array | null>((resolve, reject) => {
        this.#waiters.set(streamId, { resolve, reject });
        this.#invocation.enterSoon(Entry.Pull, streamId);
      });
    return {
      async *[Symbol.asyncIterator]() {
        for (;;) {
          const chunk = await pull();
          if (chunk === null) return;
          yield chunk;
        }
      },
      cancel: () => {
        this.#waiters.delete(streamId);
        this.#invocation.enterSoon(Entry.CancelStream, streamId);
      },
    };
  }

  /** Op stream.chunk: the isolate answers a pull. */
  deliver(streamId: number, chunk: Uint8Array | null, error: WireError | null): void {
    const waiter = this.#waiters.get(streamId);
    if (!waiter) return;
    this.#waiters.delete(streamId);
    if (error) waiter.reject(new Error(`${error.name}: ${error.message}`));
    else waiter.resolve(chunk instanceof Uint8Array ? chunk : null);
  }

  /** The invocation failed: every pending pull fails too. */
  failAll(error: Error | (() => Error)): void {
    if (this.#waiters.size === 0) return;
    const reason = typeof error === "function" ? error() : error;
    for (const waiter of this.#waiters.values()) waiter.reject(reason);
    this.#waiters.clear();
  }

  closeAll(): void {
    this.failAll(() => new Error("The request is over"));
    for (const id of [...this.#host.keys()]) this.cancel(id);
  }
}
