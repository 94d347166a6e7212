/**
 * @module Streaming decompression for DecompressionStream: fflate's raw
 * Inflate for the deflate data, with the gzip and zlib containers parsed here.
 * fflate's own Gunzip and Unzlib never check the CRC-32 / Adler-32 trailer and
 * ignore data after the end, so corrupt or padded input would pass unnoticed;
 * the spec requires both to be errors.
 */
import type { Inflate } from "fflate";
import { fflateModule } from "./lazy-modules.js";

/** The formats of the Compression Streams spec. */
export type CompressionFormat = "gzip" | "deflate" | "deflate-raw";

/**
 * fflate's Inflate state after each push (fflate 0.8, as its Gunzip reads it):
 * `s.f` set and `s.l` unset once the final block has ended; `p` the unread
 * input, its first `s.p` bits (0–7) already consumed.
 */
interface InflateInternals {
  s: { f?: number; l?: unknown; p?: number };
  p: Uint8Array;
}

let crcTable: Int32Array | undefined;

function crc32(crc: number, data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  let c = ~crc;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

function adler32(adler: number, data: Uint8Array): number {
  let a = adler & 0xffff;
  let b = adler >>> 16;
  for (let i = 0; i < data.length; ) {
    for (const end = Math.min(i + 5552, data.length); i < end; i++) b += a += data[i];
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

const concat = (a: Uint8Array, b: Uint8Array) => {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
};

/** Length of the gzip or zlib header at the start of `b`, or -1 when more bytes are needed. */
function headerLength(format: CompressionFormat, b: Uint8Array, fail: (why: string) => never): number {
  if (format === "deflate-raw") return 0;
  if (format === "deflate") {
    if (b.length < 2) return -1;
    if ((b[0] & 0x0f) !== 8 || b[0] >> 4 > 7 || ((b[0] << 8) | b[1]) % 31 !== 0) fail("incorrect header check");
    if (b[1] & 0x20) fail("a preset dictionary is not supported");
    return 2;
  }
  if (b.length < 10) return -1;
  if (b[0] !== 0x1f || b[1] !== 0x8b || b[2] !== 8 || b[3] & 0xe0) fail("incorrect header check");
  let i = 10;
  if (b[3] & 4) i = b.length < 12 ? Infinity : 12 + (b[10] | (b[11] << 8));
  for (const flag of [8, 16]) if (b[3] & flag) i = i < b.length ? b.indexOf(0, i) + 1 || Infinity : Infinity;
  if (b[3] & 2) i += 2;
  return i <= b.length ? i : -1;
}

/** A decompressor fed chunk by chunk; every failure is a TypeError, as the spec asks. */
export class Decompressor {
  readonly #format: CompressionFormat;
  readonly #inflate: Inflate;
  #phase: "header" | "body" | "trailer" | "done" = "header";
  #buffered: Uint8Array = new Uint8Array(0);
  #check: number;
  #size = 0;

  constructor(format: CompressionFormat, onData: (chunk: Uint8Array) => void) {
    this.#format = format;
    this.#check = format === "deflate" ? 1 : 0;
    this.#inflate = new (fflateModule().Inflate)((chunk) => {
      if (chunk.length === 0) return;
      if (format === "gzip") this.#check = crc32(this.#check, chunk);
      else if (format === "deflate") this.#check = adler32(this.#check, chunk);
      this.#size = (this.#size + chunk.length) >>> 0;
      onData(chunk);
    });
  }

  #fail(why: string): never {
    throw new TypeError(`DecompressionStream: the ${this.#format} data is invalid: ${why}`);
  }

  /** Decompresses one chunk; output goes to `onData`. */
  push(chunk: Uint8Array): void {
    let input: Uint8Array = concat(this.#buffered, chunk);
    this.#buffered = new Uint8Array(0);
    if (this.#phase === "header") {
      const length = headerLength(this.#format, input, (why) => this.#fail(why));
      if (length < 0) {
        this.#buffered = input;
        return;
      }
      input = input.subarray(length);
      this.#phase = "body";
    }
    if (this.#phase === "body") {
      try {
        this.#inflate.push(input);
      } catch (error) {
        this.#fail(error instanceof Error ? error.message : String(error));
      }
      const { s, p } = this.#inflate as unknown as InflateInternals;
      if (!s.f || s.l) return;
      input = p.subarray(s.p ? 1 : 0);
      this.#phase = this.#format === "deflate-raw" ? "done" : "trailer";
    }
    if (this.#phase === "trailer") {
      const size = this.#format === "gzip" ? 8 : 4;
      if (input.length < size) {
        this.#buffered = input;
        return;
      }
      const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
      if (view.getUint32(0, this.#format === "gzip") !== this.#check) this.#fail("incorrect data check");
      if (this.#format === "gzip" && view.getUint32(4, true) !== this.#size) this.#fail("incorrect length check");
      input = input.subarray(size);
      this.#phase = "done";
    }
    if (input.length > 0) this.#fail("junk found after the end of the compressed data");
  }

  /** Ends the input; a stream cut short is an error. */
  finish(): void {
    if (this.#phase === "done") return;
    if (this.#phase === "body") {
      try {
        this.#inflate.push(new Uint8Array(0), true);
      } catch (error) {
        this.#fail(error instanceof Error ? error.message : String(error));
      }
    }
    this.#fail("unexpected end of data");
  }
}
