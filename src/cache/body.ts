/** @module Response bodies the cache reads whole (up to a limit) before storing, and serves back. */
import type { EgressBody } from "../pop/egress/index.js";

/** A body of bytes already in memory. */
export function bytesBody(bytes: Uint8Array): EgressBody {
  return {
    async *[Symbol.asyncIterator]() {
      if (bytes.byteLength > 0) yield bytes;
    },
  };
}

/**
 * Reads `body` whole when it is at most `limit` bytes. Over the limit, the
 * bytes read so far and the rest come back as one stream, so the caller can
 * still pass the response on uncached.
 */
export async function readUpTo(body: EgressBody | null, limit: number): Promise<{ bytes: Uint8Array } | { stream: EgressBody }> {
  if (!body) return { bytes: new Uint8Array(0) };
  const chunks: Uint8Array[] = [];
  let size = 0;
  const iterator = body[Symbol.asyncIterator]();
  for (;;) {
    const next = await iterator.next();
    if (next.done) return { bytes: Buffer.concat(chunks, size) };
    chunks.push(next.value);
    size += next.value.byteLength;
    if (size > limit) break;
  }
  return {
    stream: {
      async *[Symbol.asyncIterator]() {
        yield* chunks;
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
      },
      cancel: () => body.cancel?.(),
    },
  };
}
