/**
 * @module Blob and File (W3C File API), held as bytes in the isolate.
 */
import { utf8Encode, decodeUtf8 } from "./encoding.js";
import { ReadableStream, streamOfBytes } from "./streams.js";

export type BlobPart = string | ArrayBuffer | ArrayBufferView | Blob;

const bytesOf = new WeakMap<Blob, Uint8Array>();

function partBytes(part: BlobPart): Uint8Array {
  if (part instanceof Blob) return blobBytes(part);
  if (part instanceof ArrayBuffer) return new Uint8Array(part.slice(0));
  if (ArrayBuffer.isView(part)) return new Uint8Array(part.buffer.slice(part.byteOffset, part.byteOffset + part.byteLength));
  return utf8Encode(String(part));
}

function normalizeType(type: unknown): string {
  const text = type === undefined ? "" : String(type);
  return /^[\x20-\x7e]*$/.test(text) ? text.toLowerCase() : "";
}

export class Blob {
  readonly #type: string;

  constructor(parts: Iterable<BlobPart> = [], options: { type?: string; endings?: string } = {}) {
    if (typeof parts !== "object" || parts === null || typeof parts[Symbol.iterator] !== "function") {
      throw new TypeError("Blob constructor: parts must be an iterable");
    }
    const chunks = [...parts].map(partBytes);
    const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
    let offset = 0;
    for (const chunk of chunks) {
      out.set(chunk, offset);
      offset += chunk.byteLength;
    }
    bytesOf.set(this, out);
    this.#type = normalizeType(options.type);
  }

  get size(): number {
    return blobBytes(this).byteLength;
  }
  get type(): string {
    return this.#type;
  }

  slice(start?: number, end?: number, contentType?: string): Blob {
    const bytes = blobBytes(this);
    const blob = new Blob([], { type: contentType });
    bytesOf.set(blob, bytes.slice(start, end));
    return blob;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return blobBytes(this).slice().buffer;
  }
  async bytes(): Promise<Uint8Array> {
    return blobBytes(this).slice();
  }
  async text(): Promise<string> {
    return decodeUtf8(blobBytes(this)).text;
  }
  stream(): ReadableStream<Uint8Array> {
    return streamOfBytes(blobBytes(this));
  }
  get [Symbol.toStringTag](): string {
    return "Blob";
  }
}

export class File extends Blob {
  readonly #name: string;
  readonly #lastModified: number;

  constructor(parts: Iterable<BlobPart>, name: string, options: { type?: string; lastModified?: number } = {}) {
    if (arguments.length < 2) throw new TypeError("File constructor: 2 arguments required, but only 1 present");
    super(parts, options);
    this.#name = String(name);
    this.#lastModified = options.lastModified === undefined ? Date.now() : Number(options.lastModified);
  }
  get name(): string {
    return this.#name;
  }
  get lastModified(): number {
    return this.#lastModified;
  }
  override get [Symbol.toStringTag](): string {
    return "File";
  }
}

/** The bytes of a Blob (not copied: do not modify). */
export function blobBytes(blob: Blob): Uint8Array {
  const bytes = bytesOf.get(blob);
  if (!bytes) throw new TypeError("Illegal invocation: not a Blob");
  return bytes;
}
