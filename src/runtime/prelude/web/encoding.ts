/**
 * @module TextEncoder / TextDecoder (WHATWG Encoding): UTF-8 (with streaming
 * decode of characters split across chunks), UTF-16LE and windows-1252.
 * Written here because bare V8 has no codec and the isolate boundary makes a
 * host round trip per string too slow.
 */
const UTF8_LABELS = ["unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8"];
const UTF16LE_LABELS = ["csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff", "utf-16", "utf-16le"];
const LATIN1_LABELS = ["ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1", "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1", "us-ascii", "windows-1252", "x-cp1252"];

function encodingFor(label: string): "utf-8" | "utf-16le" | "windows-1252" | undefined {
  const name = label.trim().toLowerCase();
  if (UTF8_LABELS.includes(name)) return "utf-8";
  if (UTF16LE_LABELS.includes(name)) return "utf-16le";
  if (LATIN1_LABELS.includes(name)) return "windows-1252";
  return undefined;
}

/** Encodes a string as UTF-8; lone surrogates become U+FFFD. */
export function utf8Encode(input: string): Uint8Array {
  const out = new Uint8Array(input.length * 3);
  return out.subarray(0, encodeInto(input, out).written);
}

function encodeInto(input: string, dest: Uint8Array): { read: number; written: number } {
  let read = 0;
  let written = 0;
  const length = input.length;
  while (read < length) {
    let code = input.charCodeAt(read);
    let units = 1;
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = read + 1 < length ? input.charCodeAt(read + 1) : 0;
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        units = 2;
      } else {
        code = 0xfffd;
      }
    }
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (written + size > dest.length) break;
    if (size === 1) dest[written++] = code;
    else if (size === 2) {
      dest[written++] = 0xc0 | (code >> 6);
      dest[written++] = 0x80 | (code & 0x3f);
    } else if (size === 3) {
      dest[written++] = 0xe0 | (code >> 12);
      dest[written++] = 0x80 | ((code >> 6) & 0x3f);
      dest[written++] = 0x80 | (code & 0x3f);
    } else {
      dest[written++] = 0xf0 | (code >> 18);
      dest[written++] = 0x80 | ((code >> 12) & 0x3f);
      dest[written++] = 0x80 | ((code >> 6) & 0x3f);
      dest[written++] = 0x80 | (code & 0x3f);
    }
    read += units;
  }
  return { read, written };
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
  readonly #encoding: "utf-8" | "utf-16le" | "windows-1252";
  readonly #fatal: boolean;
  readonly #ignoreBOM: boolean;
  #pending: number[] = [];
  #bomSeen = false;

  constructor(label = "utf-8", options: { fatal?: boolean; ignoreBOM?: boolean } = {}) {
    const encoding = encodingFor(String(label));
    if (!encoding) throw new RangeError(`TextDecoder: unsupported encoding: "${label}"`);
    this.#encoding = encoding;
    this.#fatal = Boolean(options.fatal);
    this.#ignoreBOM = Boolean(options.ignoreBOM);
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

  decode(input?: unknown, options: { stream?: boolean } = {}): string {
    let bytes = toBytes(input);
    if (this.#pending.length > 0) {
      const joined = new Uint8Array(this.#pending.length + bytes.length);
      joined.set(this.#pending);
      joined.set(bytes, this.#pending.length);
      bytes = joined;
      this.#pending = [];
    }
    const stream = Boolean(options.stream);
    let text: string;
    if (this.#encoding === "windows-1252") text = decodeLatin1(bytes);
    else if (this.#encoding === "utf-16le") text = this.#decodeUtf16(bytes, stream);
    else text = this.#decodeUtf8(bytes, stream);
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
    let end = bytes.length - (bytes.length % 2);
    let text = "";
    for (let i = 0; i < end; i += 2) text += String.fromCharCode(bytes[i] | (bytes[i + 1] << 8));
    const last = text.charCodeAt(text.length - 1);
    if (stream && last >= 0xd800 && last <= 0xdbff) {
      text = text.slice(0, -1);
      end -= 2;
    }
    if (stream && end < bytes.length) this.#pending = Array.from(bytes.subarray(end));
    else if (end < bytes.length) {
      if (this.#fatal) throw new TypeError("TextDecoder.decode: the encoded data was not valid utf-16le");
      text += "\ufffd";
    }
    return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, () => {
      if (this.#fatal) throw new TypeError("TextDecoder.decode: the encoded data was not valid utf-16le");
      return "\ufffd";
    });
  }
}

function decodeLatin1(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return text;
}

/**
 * Decodes UTF-8 per the WHATWG decoder (maximal subparts become one U+FFFD).
 * With `stream`, an incomplete sequence at the end is left over (`rest` bytes).
 */
export function decodeUtf8(bytes: Uint8Array, fatal = false, stream = false): { text: string; rest: number } {
  const units: number[] = [];
  let text = "";
  let i = 0;
  const n = bytes.length;
  const fail = () => {
    if (fatal) throw new TypeError("TextDecoder.decode: the encoded data was not valid utf-8");
    units.push(0xfffd);
  };
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      units.push(b);
      i++;
    } else {
      let need = 0;
      let code = 0;
      let lower = 0x80;
      let upper = 0xbf;
      if (b >= 0xc2 && b <= 0xdf) { need = 1; code = b & 0x1f; }
      else if (b >= 0xe0 && b <= 0xef) { need = 2; code = b & 0xf; if (b === 0xe0) lower = 0xa0; if (b === 0xed) upper = 0x9f; }
      else if (b >= 0xf0 && b <= 0xf4) { need = 3; code = b & 0x7; if (b === 0xf0) lower = 0x90; if (b === 0xf4) upper = 0x8f; }
      else { fail(); i++; continue; }
      let j = 1;
      for (; j <= need; j++) {
        if (i + j >= n) break;
        const c = bytes[i + j];
        if (c < lower || c > upper) break;
        lower = 0x80;
        upper = 0xbf;
        code = (code << 6) | (c & 0x3f);
      }
      if (j <= need) {
        if (i + j >= n && stream) return { text: text + flush(units), rest: n - i };
        fail();
        i += j;
        continue;
      }
      if (code >= 0x10000) {
        code -= 0x10000;
        units.push(0xd800 + (code >> 10), 0xdc00 + (code & 0x3ff));
      } else units.push(code);
      i += need + 1;
    }
    if (units.length >= 8192) text += flush(units);
  }
  return { text: text + flush(units), rest: 0 };
}

function flush(units: number[]): string {
  const text = String.fromCharCode(...units);
  units.length = 0;
  return text;
}
