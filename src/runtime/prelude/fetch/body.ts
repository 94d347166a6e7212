/**
 * @module The Body mixin of Request and Response. A body is held as inline
 * bytes while it can be (so the common case crosses the bridge as one copy
 * and never builds a stream), or as a ReadableStream.
 */
import { Blob, blobBytes } from "../web/blob.js";
import { decodeUtf8, utf8Encode } from "../web/encoding.js";
import { FormData } from "../web/form-data.js";
import { encodeFormData, parseFormData } from "../web/multipart.js";
import { ReadableStream, isDisturbed, readAll, streamOfBytes } from "../web/streams.js";
import { isURLSearchParams } from "../web/url.js";
import type { Headers } from "./headers.js";

/**
 * Inline bytes, inline text (a string body stays a string until something
 * needs bytes: the host encodes it once, on its side), or a stream.
 */
export type BodySource = Uint8Array | string | ReadableStream<Uint8Array> | null;

export interface ExtractedBody {
  source: BodySource;
  contentType: string | null;
}

/**
 * Streams made by `body` over inline bytes, with those bytes, while nobody has
 * read them: `new Response(response.body, …)` then takes the bytes, not the
 * stream, so the common re-wrapping of a fetched response still crosses to the
 * host in one copy instead of being pulled chunk by chunk.
 */
const pristine = new WeakMap<ReadableStream<Uint8Array>, Uint8Array | string>();

const copyView = (view: ArrayBufferView) => new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));

/** The spec's "extract a body": bytes or a stream, and the default Content-Type. */
export function extractBody(init: unknown): ExtractedBody {
  if (init === null || init === undefined) return { source: null, contentType: null };
  if (typeof init === "string") return { source: init, contentType: "text/plain;charset=UTF-8" };
  if (init instanceof ArrayBuffer) return { source: new Uint8Array(init.slice(0)), contentType: null };
  if (ArrayBuffer.isView(init)) return { source: copyView(init), contentType: null };
  if (init instanceof Blob) return { source: blobBytes(init).slice(), contentType: init.type || null };
  if (isURLSearchParams(init)) {
    return { source: utf8Encode(String(init)), contentType: "application/x-www-form-urlencoded;charset=UTF-8" };
  }
  if (init instanceof FormData) {
    const { bytes, contentType } = encodeFormData(init);
    return { source: bytes, contentType };
  }
  if (init instanceof ReadableStream) {
    if (init.locked || isDisturbed(init)) throw new TypeError("The body stream is locked or has already been read");
    const inline = pristine.get(init);
    if (inline !== undefined) {
      pristine.delete(init);
      init.getReader(); // Taken, as the spec's body would take it: the stream stays locked.
      return { source: inline, contentType: null };
    }
    return { source: init as ReadableStream<Uint8Array>, contentType: null };
  }
  return { source: String(init), contentType: "text/plain;charset=UTF-8" };
}

/** The bytes of an inline source. */
function inlineBytes(source: Uint8Array | string): Uint8Array {
  return typeof source === "string" ? utf8Encode(source) : source;
}

const USED = "Body has already been used. It can only be used once. Use tee() first if you need to read it twice.";

export abstract class Body {
  #source: BodySource = null;
  #stream: ReadableStream<Uint8Array> | null = null;
  /** Read by a body method, or moved away (to a new Request, to fetch(), to the host). */
  #used = false;

  protected abstract get bodyHeaders(): Headers;

  /** Sets the body source (used by constructors and by the bridge). */
  initBody(source: BodySource): void {
    this.#source = source;
    this.#stream = source instanceof ReadableStream ? source : null;
    this.#used = false;
  }

  /** True when there is a body (without making a stream of inline bytes). */
  protected hasBody(): boolean {
    return this.#source !== null;
  }

  get body(): ReadableStream<Uint8Array> | null {
    if (this.#source === null) return null;
    if (this.#stream === null) {
      this.#stream = streamOfBytes(inlineBytes(this.#source as Uint8Array | string));
      if (this.#used) this.#stream.cancel().catch(() => {});
      else pristine.set(this.#stream, this.#source as Uint8Array | string);
    }
    return this.#stream;
  }

  get bodyUsed(): boolean {
    if (this.#source === null) return false;
    return this.#used || (this.#stream !== null && isDisturbed(this.#stream));
  }

  /**
   * Moves the body out for sending or for a new Request: inline bytes when no
   * stream was made, else the stream. This body counts as used afterwards.
   */
  protected takeBody(what: string): BodySource {
    if (this.#source === null) return null;
    if (this.bodyUsed) throw new TypeError(`${what}: the body has already been used`);
    if (this.#stream?.locked) throw new TypeError(`${what}: the body stream is locked to a reader`);
    this.#used = true;
    const taken = this.#stream ?? this.#source;
    // The stream now belongs to the receiver: this body's `body` becomes a spent stream.
    if (this.#stream !== null) {
      this.#stream = streamOfBytes(new Uint8Array(0));
      this.#stream.cancel().catch(() => {});
    }
    return taken;
  }

  /** Splits the body in two for clone(): the first half stays here, the second is returned. */
  protected teeBody(what: string): BodySource {
    if (this.bodyUsed) throw new TypeError(`${what}: the body has already been used`);
    if (this.#source === null) return null;
    if (this.#stream === null) return typeof this.#source === "string" ? this.#source : (this.#source as Uint8Array).slice();
    if (this.#stream.locked) throw new TypeError(`${what}: the body stream is locked to a reader`);
    const [a, b] = this.#stream.tee();
    this.#stream = a;
    this.#source = a;
    return b;
  }

  async #consume(): Promise<Uint8Array> {
    const source = await this.#consumeInline();
    return typeof source === "string" ? utf8Encode(source) : source;
  }

  /** Reads the whole body; inline text is returned as text, without an encode/decode round trip. */
  async #consumeInline(): Promise<Uint8Array | string> {
    if (this.#source === null) return new Uint8Array(0);
    if (this.bodyUsed) throw new TypeError(USED);
    if (this.#stream === null) {
      this.#used = true;
      return this.#source as Uint8Array | string;
    }
    if (this.#stream.locked) throw new TypeError("The body stream is locked to a reader");
    this.#used = true;
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
    const bytes = await this.#consumeInline();
    if (typeof bytes === "string") {
      // What encoding to UTF-8 and decoding would give: lone surrogates become U+FFFD, a leading BOM goes.
      const text = (bytes as string & { toWellFormed(): string }).toWellFormed();
      return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    }
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
