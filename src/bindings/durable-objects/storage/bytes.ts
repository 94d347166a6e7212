/**
 * @module A little-endian byte writer and reader for journal records: fixed
 * numbers, and length-prefixed byte strings and UTF-8 text. The reader checks
 * every length against what is left and throws `journal_invalid`.
 */
import { StorageError } from "./errors.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

export class ByteWriter {
  #bytes = new Uint8Array(256);
  #view = new DataView(this.#bytes.buffer);
  #length = 0;

  u8(value: number): void {
    this.#reserve(1);
    this.#view.setUint8(this.#length, value);
    this.#length += 1;
  }

  u32(value: number): void {
    this.#reserve(4);
    this.#view.setUint32(this.#length, value, true);
    this.#length += 4;
  }

  f64(value: number): void {
    this.#reserve(8);
    this.#view.setFloat64(this.#length, value, true);
    this.#length += 8;
  }

  bytes(value: Uint8Array): void {
    this.u32(value.byteLength);
    this.#reserve(value.byteLength);
    this.#bytes.set(value, this.#length);
    this.#length += value.byteLength;
  }

  text(value: string): void {
    this.bytes(encoder.encode(value));
  }

  /** The bytes written, in a buffer of their own size. */
  finish(): Uint8Array {
    return this.#bytes.slice(0, this.#length);
  }

  #reserve(n: number): void {
    if (this.#length + n <= this.#bytes.length) return;
    let size = this.#bytes.length * 2;
    while (size < this.#length + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.#bytes.subarray(0, this.#length));
    this.#bytes = grown;
    this.#view = new DataView(grown.buffer);
  }
}

export class ByteReader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  #offset = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  u8(): number {
    this.#need(1);
    return this.#view.getUint8(this.#offset++);
  }

  u32(): number {
    this.#need(4);
    const value = this.#view.getUint32(this.#offset, true);
    this.#offset += 4;
    return value;
  }

  f64(): number {
    this.#need(8);
    const value = this.#view.getFloat64(this.#offset, true);
    this.#offset += 8;
    return value;
  }

  /** A copy of the next length-prefixed bytes. */
  bytes(): Uint8Array {
    const length = this.u32();
    this.#need(length);
    const value = this.#bytes.slice(this.#offset, this.#offset + length);
    this.#offset += length;
    return value;
  }

  text(): string {
    const length = this.u32();
    this.#need(length);
    try {
      return decoder.decode(this.#bytes.subarray(this.#offset, this.#offset + length));
    } catch (cause) {
      throw new StorageError("journal_invalid", `journal record has text that is not UTF-8 at byte ${this.#offset}`, { cause });
    } finally {
      this.#offset += length;
    }
  }

  /** @throws StorageError `journal_invalid` when bytes are left over. */
  end(): void {
    if (this.#offset !== this.#bytes.byteLength) {
      throw new StorageError("journal_invalid", `journal record has ${this.#bytes.byteLength - this.#offset} bytes after its end`);
    }
  }

  #need(n: number): void {
    if (this.#offset + n > this.#bytes.byteLength) {
      throw new StorageError("journal_invalid", `journal record is cut short: ${n} bytes needed at byte ${this.#offset} of ${this.#bytes.byteLength}`);
    }
  }
}
