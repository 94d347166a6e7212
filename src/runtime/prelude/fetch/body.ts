/**
 * @module The Body mixin of Request and Response. A body is held as inline
 * bytes while it can be (so the common case crosses the bridge as one copy
 * and never builds a stream), or as a ReadableStream.
 */
import { Blob, blobBytes } from "../web/blob.js";
import { decodeUtf8, utf8Encode } from "../web/encoding.js";
import { FormData, encodeFormData, parseFormData } from "../web/form-data.js";
import { ReadableStream, isDisturbed, readAll, streamOfBytes } from "../web/streams.js";
import type { Headers } from "./headers.js";

export type BodySource = Uint8Array | ReadableStream<Uint8Array> | null;

export interface ExtractedBody {
  source: BodySource;
  contentType: string | null;
}

/** The spec's "extract a body": bytes or a stream, and the default Content-Type. */
export function extractBody(init: unknown): ExtractedBody {
  if (init === null || init === undefined) return { source: null, contentType: null };
  if (typeof init === "string") return { source: utf8Encode(init), contentType: "text/plain;charset=UTF-8" };
  if (init instanceof ArrayBuffer) return { source: new Uint8Array(init.slice(0)), contentType: null };
  if (ArrayBuffer.isView(init)) {
    return { source: new Uint8Array(init.buffer.slice(init.byteOffset, init.byteOffset + init.byteLength)), contentType: null };
  }
  if (init instanceof Blob) return { source: blobBytes(init), contentType: init.type || null };
  if (init instanceof URLSearchParams) {
    return { source: utf8Encode(init.toString()), contentType: "application/x-www-form-urlencoded;charset=UTF-8" };
  }
  if (init instanceof FormData) {
    const { bytes, contentType } = encodeFormData(init);
    return { source: bytes, contentType };
  }
  if (init instanceof ReadableStream) {
    if (init.locked || isDisturbed(init)) throw new TypeError("The body stream is locked or has already been read");
    return { source: init as ReadableStream<Uint8Array>, contentType: null };
  }
  return { source: utf8Encode(String(init)), contentType: "text/plain;charset=UTF-8" };
}

export abstract class Body {
  #source: BodySource = null;
  #stream: ReadableStream<Uint8Array> | null = null;
  #usedInline = false;

  protected abstract get bodyHeaders(): Headers;

  /** Sets the body source (used by constructors and by the bridge). */
  initBody(source: BodySource): void {
    this.#source = source;
    this.#stream = source instanceof ReadableStream ? source : null;
  }

  get body(): ReadableStream<Uint8Array> | null {
    if (this.#source === null) return null;
    if (this.#stream === null) {
      this.#stream = streamOfBytes(this.#source as Uint8Array);
      if (this.#usedInline) void this.#stream.cancel();
    }
    return this.#stream;
  }

  get bodyUsed(): boolean {
    if (this.#stream !== null) return isDisturbed(this.#stream);
    return this.#usedInline;
  }

  /** Takes the body for sending or cloning: inline bytes when no stream was made. */
  protected takeSource(): BodySource {
    if (this.#stream === null) return this.#source;
    return this.#stream;
  }

  /** Splits the body in two for clone(): the first half stays here, the second is returned. */
  protected teeSource(): BodySource {
    if (this.bodyUsed) throw new TypeError("Cannot clone: the body has already been used");
    if (this.#stream === null) return this.#source;
    if (this.#stream.locked) throw new TypeError("Cannot clone: the body stream is locked");
    const [a, b] = this.#stream.tee();
    this.#stream = a;
    this.#source = a;
    return b;
  }

  async #consume(): Promise<Uint8Array> {
    if (this.bodyUsed) throw new TypeError("Body has already been used. It can only be used once. Use tee() first if you need to read it twice.");
    if (this.#stream === null) {
      this.#usedInline = true;
      return (this.#source as Uint8Array | null) ?? new Uint8Array(0);
    }
    if (this.#stream.locked) throw new TypeError("The body stream is locked to a reader");
    return readAll(this.#stream);
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.#consume();
    return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? (bytes.buffer as ArrayBuffer) : bytes.slice().buffer;
  }

  async bytes(): Promise<Uint8Array> {
    return new Uint8Array(await this.arrayBuffer());
  }

  async text(): Promise<string> {
    const bytes = await this.#consume();
    const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    return decodeUtf8(start ? bytes.subarray(start) : bytes).text;
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async blob(): Promise<Blob> {
    const bytes = await this.#consume();
    return new Blob([bytes], { type: this.bodyHeaders.get("content-type") ?? "" });
  }

  async formData(): Promise<FormData> {
    const contentType = this.bodyHeaders.get("content-type") ?? "";
    return parseFormData(await this.#consume(), contentType);
  }
}
