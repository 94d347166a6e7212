/** @module Algorithm normalization (WebCrypto §18.4): names matched case-insensitively per operation, members copied to the wire form (bytes, normalized `hash`, CryptoKeys as sealed keys). */
import type { WireAlgorithm } from "../../host-ops/crypto/wire.js";
import { DOMException } from "../web/dom-exception.js";
import { describe, toBytes } from "./buffer.js";
import { keyRef } from "./key.js";

/** The operations that normalize an algorithm ("get key length": deriveKey's derived key type). */
export type Operation =
  | "digest" | "sign" | "verify" | "encrypt" | "decrypt" | "generateKey" | "importKey"
  | "deriveBits" | "get key length" | "wrapKey" | "unwrapKey";

const DIGESTS = ["SHA-1", "SHA-256", "SHA-384", "SHA-512"];
const SIGNATURES = ["RSASSA-PKCS1-v1_5", "RSA-PSS", "ECDSA", "HMAC", "Ed25519", "Ed448"];
const CIPHERS = ["RSA-OAEP", "AES-CTR", "AES-CBC", "AES-GCM"];
const WRAPPERS = [...CIPHERS, "AES-KW"];
const DERIVATIONS = ["ECDH", "X25519", "X448", "HKDF", "PBKDF2"];
const KEYS = [...SIGNATURES, "RSA-OAEP", "ECDH", "X25519", "X448", "AES-CTR", "AES-CBC", "AES-GCM", "AES-KW"];

const SUPPORTED: Record<Operation, readonly string[]> = {
  digest: DIGESTS,
  sign: SIGNATURES,
  verify: SIGNATURES,
  encrypt: CIPHERS,
  decrypt: CIPHERS,
  generateKey: KEYS,
  importKey: [...KEYS, "HKDF", "PBKDF2"],
  deriveBits: DERIVATIONS,
  "get key length": ["AES-CTR", "AES-CBC", "AES-GCM", "AES-KW", "HMAC", "HKDF", "PBKDF2"],
  wrapKey: WRAPPERS,
  unwrapKey: WRAPPERS,
};
const KNOWN = new Set([...DIGESTS, ...KEYS, "HKDF", "PBKDF2"].map((name) => name.toUpperCase()));

const BYTE_MEMBERS = ["iv", "counter", "additionalData", "label", "salt", "info", "publicExponent"];
const NUMBER_MEMBERS = ["length", "modulusLength", "saltLength", "tagLength", "iterations"];

/** Normalizes `algorithm` for `operation`; TypeError or NotSupportedError naming `what` otherwise. */
export function normalizeAlgorithm(operation: Operation, algorithm: unknown, what: string): WireAlgorithm {
  if (typeof algorithm === "string") return normalizeAlgorithm(operation, { name: algorithm }, what);
  if (typeof algorithm !== "object" || algorithm === null) {
    throw new TypeError(`${what} must be an algorithm name or an object with a name: received ${describe(algorithm)}`);
  }
  const dictionary = algorithm as Record<string, unknown>;
  if (dictionary.name === undefined) throw new TypeError(`${what}.name is required`);
  const name = String(dictionary.name);
  const canonical = SUPPORTED[operation].find((candidate) => candidate.toUpperCase() === name.toUpperCase());
  if (!canonical) {
    const message = KNOWN.has(name.toUpperCase()) ? `Algorithm not supported for ${operation}: "${name}"` : `Unrecognized algorithm name: "${name}"`;
    throw new DOMException(message, "NotSupportedError");
  }
  const wire: WireAlgorithm = { name: canonical };
  for (const member of BYTE_MEMBERS) {
    const value = dictionary[member];
    if (value !== undefined) wire[member] = toBytes(value, `${what}.${member}`);
  }
  for (const member of NUMBER_MEMBERS) {
    const value = dictionary[member];
    if (value === undefined) continue;
    const number = Number(value);
    if (!Number.isFinite(number)) throw new TypeError(`${what}.${member} must be a finite number: received ${describe(value)}`);
    wire[member] = Math.trunc(number);
  }
  if (dictionary.namedCurve !== undefined) wire.namedCurve = String(dictionary.namedCurve);
  if (dictionary.hash !== undefined) wire.hash = { name: normalizeAlgorithm("digest", dictionary.hash, `${what}.hash`).name };
  if (dictionary.public !== undefined) wire.public = keyRef(dictionary.public, `${what}.public`);
  return wire;
}
