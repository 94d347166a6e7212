/**
 * @module atob and btoa (HTML §8.3) with the spec's forgiving-base64 decode.
 * Written here because bare V8 has neither; a table lookup is a few lines.
 */
import { DOMException } from "./dom-exception.js";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

function invalid(message: string): DOMException {
  return new DOMException(message, "InvalidCharacterError");
}

/** Decodes base64 to a binary string (one char per byte), e.g. `atob("aGk=") === "hi"`. */
export function atob(data: string): string {
  if (arguments.length === 0) throw new TypeError("atob: 1 argument required, but only 0 present");
  let input = String(data).replace(/[\t\n\f\r ]/g, "");
  if (input.length % 4 === 0) input = input.replace(/==?$/, "");
  if (input.length % 4 === 1 || /[^A-Za-z0-9+/]/.test(input)) {
    throw invalid("atob: the string to be decoded is not correctly encoded");
  }
  let output = "";
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < input.length; i++) {
    buffer = (buffer << 6) | VALUES[input.charCodeAt(i)];
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      output += String.fromCharCode((buffer >> bits) & 0xff);
    }
  }
  return output;
}

/** Encodes a binary string as base64; a char above U+00FF is an InvalidCharacterError. */
export function btoa(data: string): string {
  if (arguments.length === 0) throw new TypeError("btoa: 1 argument required, but only 0 present");
  const input = String(data);
  let output = "";
  for (let i = 0; i < input.length; i += 3) {
    const a = input.charCodeAt(i);
    const b = i + 1 < input.length ? input.charCodeAt(i + 1) : 0;
    const c = i + 2 < input.length ? input.charCodeAt(i + 2) : 0;
    if (a > 0xff || b > 0xff || c > 0xff) {
      throw invalid("btoa: the string to be encoded contains characters outside of the Latin1 range");
    }
    const n = (a << 16) | (b << 8) | c;
    output += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63];
    output += i + 1 < input.length ? ALPHABET[(n >> 6) & 63] : "=";
    output += i + 2 < input.length ? ALPHABET[n & 63] : "=";
  }
  return output;
}
