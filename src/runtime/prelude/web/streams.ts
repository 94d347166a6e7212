/**
 * @module WHATWG Streams from web-streams-polyfill (the reference
 * implementation's port): readable byte streams, tee, pipes, transforms.
 */
import { ReadableStream } from "web-streams-polyfill";

export {
  ReadableStream,
  ReadableStreamDefaultReader,
  ReadableStreamBYOBReader,
  ReadableStreamDefaultController,
  ReadableByteStreamController,
  ReadableStreamBYOBRequest,
  WritableStream,
  WritableStreamDefaultWriter,
  WritableStreamDefaultController,
  TransformStream,
  TransformStreamDefaultController,
  ByteLengthQueuingStrategy,
  CountQueuingStrategy,
} from "web-streams-polyfill";

/** True once a stream has been read from or cancelled (the spec's "disturbed"). */
export function isDisturbed(stream: ReadableStream): boolean {
  return Boolean((stream as unknown as { _disturbed?: boolean })._disturbed);
}

/** True while a reader holds the stream. */
export function isLocked(stream: ReadableStream): boolean {
  return stream.locked;
}

/** A byte stream that yields `bytes` once and closes. */
export function streamOfBytes(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    type: "bytes",
    start(controller) {
      if (bytes.byteLength > 0) controller.enqueue(bytes.slice());
      controller.close();
    },
  });
}

/** Reads a stream to the end and joins its chunks; a chunk that is not bytes cancels the stream with a TypeError. */
export async function readAll(stream: ReadableStream<unknown>): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    let chunk: Uint8Array;
    try {
      chunk = toUint8Array(value);
    } catch (error) {
      // The source hears why nobody reads on (a host stream is released at once).
      reader.cancel(error).catch(() => {});
      throw error;
    }
    chunks.push(chunk);
    total += chunk.byteLength;
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** A body chunk as bytes; anything else is a TypeError, as in workerd. */
export function toUint8Array(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  throw new TypeError(`This ReadableStream did not return bytes: received ${value === null ? "null" : typeof value}`);
}
