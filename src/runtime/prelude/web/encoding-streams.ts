/**
 * @module TextEncoderStream and TextDecoderStream (WHATWG Encoding §7):
 * TransformStreams over the codecs, carrying a character split across chunks.
 */
import { TextDecoder, utf8Encode } from "./encoding.js";
import { TransformStream } from "./streams.js";

/** Strings in, UTF-8 bytes out; a surrogate pair split across two chunks is joined. */
export class TextEncoderStream {
  readonly #transform: TransformStream<string, Uint8Array>;

  constructor() {
    let pendingHigh = "";
    this.#transform = new TransformStream<string, Uint8Array>({
      transform(chunk, controller) {
        let text = pendingHigh + String(chunk);
        pendingHigh = "";
        const last = text.charCodeAt(text.length - 1);
        if (last >= 0xd800 && last <= 0xdbff) {
          pendingHigh = text.slice(-1);
          text = text.slice(0, -1);
        }
        if (text.length > 0) controller.enqueue(utf8Encode(text));
      },
      flush(controller) {
        if (pendingHigh) controller.enqueue(utf8Encode("\ufffd"));
      },
    });
  }
  get encoding(): string { return "utf-8"; }
  get readable(): ReadableStream<Uint8Array> { return this.#transform.readable; }
  get writable(): WritableStream<string> { return this.#transform.writable; }
  get [Symbol.toStringTag](): string { return "TextEncoderStream"; }
}

/** BufferSource chunks in, strings out, as TextDecoder with `stream: true`. */
export class TextDecoderStream {
  readonly #decoder: TextDecoder;
  readonly #transform: TransformStream<BufferSource, string>;

  constructor(label = "utf-8", options: { fatal?: boolean; ignoreBOM?: boolean } | null = {}) {
    const decoder = (this.#decoder = new TextDecoder(label, options));
    this.#transform = new TransformStream<BufferSource, string>({
      transform(chunk, controller) {
        if (!ArrayBuffer.isView(chunk) && !(chunk instanceof ArrayBuffer)) {
          throw new TypeError(`TextDecoderStream: chunks must be an ArrayBuffer or ArrayBufferView: received ${chunk === null ? "null" : typeof chunk}`);
        }
        const text = decoder.decode(chunk, { stream: true });
        if (text.length > 0) controller.enqueue(text);
      },
      flush(controller) {
        const text = decoder.decode();
        if (text.length > 0) controller.enqueue(text);
      },
    });
  }
  get encoding(): string { return this.#decoder.encoding; }
  get fatal(): boolean { return this.#decoder.fatal; }
  get ignoreBOM(): boolean { return this.#decoder.ignoreBOM; }
  get readable(): ReadableStream<string> { return this.#transform.readable; }
  get writable(): WritableStream<BufferSource> { return this.#transform.writable; }
  get [Symbol.toStringTag](): string { return "TextDecoderStream"; }
}
