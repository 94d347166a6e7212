/**
 * @module The UTF-8 codec under TextEncoder / TextDecoder, bodies and forms:
 * encode (lone surrogates become U+FFFD) and the WHATWG decoder, which can
 * leave an incomplete sequence at the end of a chunk for the next one.
 */

/** Encodes a string as UTF-8 into a buffer of exactly its size; lone surrogates become U+FFFD. */
export function utf8Encode(input: string): Uint8Array {
  let size = input.length;
  for (let i = 0; i < input.length; i++) {
    const code = input.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) size += 1;
    else if (code >= 0xd800 && code <= 0xdbff && (input.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      size += 2;
      i++;
    } else size += 2;
  }
  const out = new Uint8Array(size);
  encodeInto(input, out);
  return out;
}

/** Encodes as much of `input` as fits in `dest`, never splitting a character. */
export function encodeInto(input: string, dest: Uint8Array): { read: number; written: number } {
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

/**
 * Decodes UTF-8 per the WHATWG decoder (maximal subparts become one U+FFFD).
 * With `stream`, an incomplete sequence at the end is left over (`rest` bytes).
 */
export function decodeUtf8(bytes: Uint8Array, fatal = false, stream = false): { text: string; rest: number } {
  const units: number[] = [];
  const n = bytes.length;
  // ASCII prefix (most bodies are entirely ASCII): converted in blocks, not byte by byte.
  let i = 0;
  while (i < n && bytes[i] < 0x80) i++;
  let text = asciiToString(bytes, i);
  if (i === n) return { text, rest: 0 };
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

const BLOCK = 8192;

/** The first `end` bytes of `bytes`, all below 0x80, as a string. */
function asciiToString(bytes: Uint8Array, end: number): string {
  let text = "";
  for (let start = 0; start < end; start += BLOCK) {
    text += String.fromCharCode.apply(null, bytes.subarray(start, Math.min(end, start + BLOCK)) as unknown as number[]);
  }
  return text;
}

/** Turns buffered UTF-16 code units into a string and empties the buffer. */
export function flush(units: number[]): string {
  const text = String.fromCharCode(...units);
  units.length = 0;
  return text;
}
