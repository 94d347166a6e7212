/**
 * @module TextEncoder / TextDecoder (WHATWG Encoding): labels, BOM handling,
 * streaming, UTF-8 (the codec is in utf8.ts), UTF-16LE/BE and windows-1252.
 * Written here because bare V8 has no codec and the isolate boundary makes a
 * host round trip per string too slow.
 */
import { decodeUtf8, encodeInto, flush, utf8Encode } from "./utf8.js";

export { decodeUtf8, utf8Encode };
const UTF8_LABELS = ["unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8"];
const UTF16LE_LABELS = ["csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff", "utf-16", "utf-16le"];
const UTF16BE_LABELS = ["unicodefffe", "utf-16be"];
const LATIN1_LABELS = ["ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1", "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1", "us-ascii", "windows-1252", "x-cp1252"];
/** windows-1252 differs from Latin-1 in 0x80–0x9F. */
const CP1252_80_9F = "\u20ac\x81\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\x8d\u017d\x8f\x90\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\x9d\u017e\u0178";

type Encoding = "utf-8" | "utf-16le" | "utf-16be" | "windows-1252";

function encodingFor(label: string): Encoding | undefined {
  const name = label.replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, "").toLowerCase();
  if (UTF8_LABELS.includes(name)) return "utf-8";
  if (UTF16LE_LABELS.includes(name)) return "utf-16le";
  if (UTF16BE_LABELS.includes(name)) return "utf-16be";
  if (LATIN1_LABELS.includes(name)) return "windows-1252";
  return undefined;
}

export class TextEncoder {
  get encoding(): string {
    return "utf-8";
  }
  encode(input = ""): Uint8Array {
    return utf8Encode(String(input));
  }
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number } {
    if (!(destination instanceof Uint8Array)) throw new TypeError("TextEncoder.encodeInto: destination must be a Uint8Array");
    return encodeInto(String(source), destination);
  }
}

function toBytes(input: unknown): Uint8Array {
  if (input === undefined) return new Uint8Array(0);
  if (input instanceof Uint8Array) return input;
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  if (input instanceof ArrayBuffer || (typeof SharedArrayBuffer !== "undefined" && input instanceof SharedArrayBuffer)) return new Uint8Array(input);
  throw new TypeError(`TextDecoder.decode: input must be an ArrayBuffer or ArrayBufferView: received ${typeof input}`);
}

export class TextDecoder {
  readonly #encoding: Encoding;
  readonly #fatal: boolean;
  readonly #ignoreBOM: boolean;
  #pending: number[] = [];
  #bomSeen = false;

  constructor(label = "utf-8", options: { fatal?: boolean; ignoreBOM?: boolean } | null = {}) {
    const encoding = encodingFor(String(label));
    if (!encoding) throw new RangeError(`TextDecoder: unsupported encoding: "${String(label)}"`);
    this.#encoding = encoding;
    this.#fatal = Boolean(options?.fatal);
    this.#ignoreBOM = Boolean(options?.ignoreBOM);
  }
  get encoding(): string {
    return this.#encoding;
  }
  get fatal(): boolean {
    return this.#fatal;
  }
  get ignoreBOM(): boolean {
    return this.#ignoreBOM;
  }

  decode(input?: unknown, options: { stream?: boolean } | null = {}): string {
    let bytes = toBytes(input);
    if (this.#pending.length > 0) {
      const joined = new Uint8Array(this.#pending.length + bytes.length);
      joined.set(this.#pending);
      joined.set(bytes, this.#pending.length);
      bytes = joined;
      this.#pending = [];
    }
    const stream = Boolean(options?.stream);
    let text: string;
    if (this.#encoding === "windows-1252") text = decodeCp1252(bytes);
    else if (this.#encoding === "utf-8") text = this.#decodeUtf8(bytes, stream);
    else text = this.#decodeUtf16(bytes, stream);
    if (!this.#ignoreBOM && !this.#bomSeen && text.length > 0) {
      this.#bomSeen = true;
      if (text.charCodeAt(0) === 0xfeff && this.#encoding !== "windows-1252") text = text.slice(1);
    }
    if (!stream) this.#bomSeen = false;
    return text;
  }

  #decodeUtf8(bytes: Uint8Array, stream: boolean): string {
    const { text, rest } = decodeUtf8(bytes, this.#fatal, stream);
    if (rest > 0) this.#pending = Array.from(bytes.subarray(bytes.length - rest));
    return text;
  }

  #decodeUtf16(bytes: Uint8Array, stream: boolean): string {
    const [low, high] = this.#encoding === "utf-16le" ? [0, 1] : [1, 0];
    let end = bytes.length - (bytes.length % 2);
    let text = "";
    const units: number[] = [];
    for (let i = 0; i < end; i += 2) {
      units.push(bytes[i + low] | (bytes[i + high] << 8));
      if (units.length >= 8192) text += flush(units);
    }
    text += flush(units);
    const last = text.charCodeAt(text.length - 1);
    if (stream && last >= 0xd800 && last <= 0xdbff) {
      text = text.slice(0, -1);
      end -= 2;
    }
    if (stream && end < bytes.length) this.#pending = Array.from(bytes.subarray(end));
    else if (end < bytes.length) {
      if (this.#fatal) throw new TypeError(`TextDecoder.decode: the encoded data was not valid ${this.#encoding}`);
      text += "\ufffd";
    }
    return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, () => {
      if (this.#fatal) throw new TypeError(`TextDecoder.decode: the encoded data was not valid ${this.#encoding}`);
      return "\ufffd";
    });
  }
}

function decodeCp1252(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return text.replace(/[\x80-\x9f]/g, (c) => CP1252_80_9F[c.charCodeAt(0) - 0x80]);
}
