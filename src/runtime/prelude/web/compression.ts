/**
 * @module CompressionStream and DecompressionStream (Compression Streams spec)
 * for "gzip", "deflate" (zlib) and "deflate-raw", on fflate's streaming codecs.
 */
import { fflateModule } from "./lazy-modules.js";
import { Decompressor, type CompressionFormat } from "./inflate.js";
import { TransformStream } from "./streams.js";

const FORMATS = ["gzip", "deflate", "deflate-raw"];

function compressor(format: CompressionFormat) {
  const { Gzip, Zlib, Deflate } = fflateModule();
  return format === "gzip" ? Gzip : format === "deflate" ? Zlib : Deflate;
}

function checkFormat(format: unknown, constructor: string): CompressionFormat {
  if (!FORMATS.includes(String(format))) {
    throw new TypeError(`${constructor}: unsupported compression format: "${String(format)}" (expected "gzip", "deflate" or "deflate-raw")`);
  }
  return String(format) as CompressionFormat;
}

function toBytes(chunk: unknown, constructor: string): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  throw new TypeError(`${constructor}: chunks must be an ArrayBuffer or ArrayBufferView: received ${chunk === null ? "null" : typeof chunk}`);
}

/** A TransformStream of bytes whose output is the input compressed, e.g. `body.pipeThrough(new CompressionStream("gzip"))`. */
export class CompressionStream {
  readonly #transform: TransformStream<BufferSource, Uint8Array>;

  constructor(format: CompressionFormat) {
    const Codec = compressor(checkFormat(format, "CompressionStream"));
    let controller!: TransformStreamDefaultController<Uint8Array>;
    const codec = new Codec((chunk) => {
      if (chunk.length > 0) controller.enqueue(chunk);
    });
    this.#transform = new TransformStream<BufferSource, Uint8Array>({
      start(c) {
        controller = c;
      },
      transform(chunk) {
        codec.push(toBytes(chunk, "CompressionStream"));
      },
      flush() {
        codec.push(new Uint8Array(0), true);
      },
    });
  }
  get readable(): ReadableStream<Uint8Array> { return this.#transform.readable; }
  get writable(): WritableStream<BufferSource> { return this.#transform.writable; }
  get [Symbol.toStringTag](): string { return "CompressionStream"; }
}

/** A TransformStream of bytes whose output is the input decompressed; corrupt input errors it with a TypeError. */
export class DecompressionStream {
  readonly #transform: TransformStream<BufferSource, Uint8Array>;

  constructor(format: CompressionFormat) {
    const checked = checkFormat(format, "DecompressionStream");
    let decompressor!: Decompressor;
    this.#transform = new TransformStream<BufferSource, Uint8Array>({
      start(controller) {
        decompressor = new Decompressor(checked, (chunk) => controller.enqueue(chunk));
      },
      transform(chunk) {
        decompressor.push(toBytes(chunk, "DecompressionStream"));
      },
      flush() {
        decompressor.finish();
      },
    });
  }
  get readable(): ReadableStream<Uint8Array> { return this.#transform.readable; }
  get writable(): WritableStream<BufferSource> { return this.#transform.writable; }
  get [Symbol.toStringTag](): string { return "DecompressionStream"; }
}
