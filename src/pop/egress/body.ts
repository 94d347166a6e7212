/** @module Response bodies of outgoing fetches: a node stream seen as an async iterable of bytes that can be cancelled. */
import type { Readable } from "node:stream";

/** A streamed response body: iterate it, or cancel it to release the connection. */
export type EgressBody = AsyncIterable<Uint8Array> & { cancel?(): void };

/**
 * The bytes of `stream`, pulled as they are iterated (the socket is read only
 * as fast as the consumer reads, so memory stays bounded).
 */
export function streamBody(stream: Readable): EgressBody {
  return {
    [Symbol.asyncIterator]: () => stream[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>,
    cancel: () => {
      // undici's body emits an AbortError when destroyed; nobody may be listening yet.
      stream.on("error", () => {});
      stream.destroy();
    },
  };
}

/** Read and drop what is left of a body we do not hand out (redirect hops, HEAD). */
export async function discard(stream: Readable & { dump?(opts?: { limit: number }): Promise<void> }): Promise<void> {
  try {
    if (stream.dump) await stream.dump({ limit: 64 * 1024 });
    else stream.destroy();
  } catch {
    stream.destroy();
  }
}
