/**
 * @module The other arguments of `crypto.subtle`: key formats, key usages and
 * JSON Web Keys, checked as WebIDL converts them (TypeError naming the argument).
 */
import { describe, toBytes } from "./buffer.js";

const FORMATS = ["raw", "spki", "pkcs8", "jwk"];
const USAGES = ["encrypt", "decrypt", "sign", "verify", "deriveKey", "deriveBits", "wrapKey", "unwrapKey"];
const JWK_STRINGS = ["kty", "use", "alg", "crv", "x", "y", "d", "n", "e", "p", "q", "dp", "dq", "qi", "k"];

/** A KeyFormat. */
export function toFormat(value: unknown, what = "format"): KeyFormat {
  const format = String(value);
  if (!FORMATS.includes(format)) throw new TypeError(`${what} must be one of "raw", "spki", "pkcs8" or "jwk": received "${format}"`);
  return format as KeyFormat;
}

/** A list of KeyUsages. */
export function toUsages(value: unknown, what = "keyUsages"): KeyUsage[] {
  if (typeof value !== "object" || value === null || typeof (value as Iterable<unknown>)[Symbol.iterator] !== "function") {
    throw new TypeError(`${what} must be a sequence of key usages: received ${describe(value)}`);
  }
  return Array.from(value as Iterable<unknown>, (item) => {
    const usage = String(item);
    if (!USAGES.includes(usage)) throw new TypeError(`${what} contains an unknown key usage: "${usage}"`);
    return usage as KeyUsage;
  });
}

/** Key data for importKey: a JsonWebKey for "jwk", a BufferSource otherwise. */
export function toKeyData(format: KeyFormat, value: unknown, what = "keyData"): Uint8Array | Record<string, unknown> {
  if (format !== "jwk") return toBytes(value, what);
  if (typeof value !== "object" || value === null || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    throw new TypeError(`${what} must be a JsonWebKey object for format "jwk": received ${describe(value)}`);
  }
  const jwk = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const member of JWK_STRINGS) if (jwk[member] !== undefined) copy[member] = String(jwk[member]);
  if (jwk.ext !== undefined) copy.ext = Boolean(jwk.ext);
  if (jwk.key_ops !== undefined) {
    if (!Array.isArray(jwk.key_ops)) throw new TypeError(`${what}.key_ops must be an array of strings`);
    copy.key_ops = jwk.key_ops.map(String);
  }
  if (jwk.oth !== undefined) {
    if (!Array.isArray(jwk.oth)) throw new TypeError(`${what}.oth must be an array`);
    copy.oth = jwk.oth.map((prime: Record<string, unknown>) => ({ r: String(prime?.r), d: String(prime?.d), t: String(prime?.t) }));
  }
  return copy;
}
