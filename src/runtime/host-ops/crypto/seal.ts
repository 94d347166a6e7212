/** @module Sealing of key records for the isolates: deterministic authenticated encryption under secrets of this process. */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";

// AES-256-GCM with a synthetic IV, HMAC-SHA-256(plaintext) truncated to 96 bits
// (the SIV construction): the same record always seals to the same bytes, so
// the host's key cache sees one entry for a key imported again and again, and
// an IV never repeats for different plaintexts. The secrets live and die with
// the process, as the isolates holding sealed keys do.
const ENCRYPTION_KEY = randomBytes(32);
const IV_KEY = randomBytes(32);
const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;

/** Thrown for bytes this process did not seal, or that were altered. */
export class SealError extends Error {
  override name = "InvalidAccessError";
}

/** `plaintext` encrypted and authenticated: version, IV, tag, ciphertext. */
export function seal(plaintext: Uint8Array): Uint8Array {
  const iv = createHmac("sha256", IV_KEY).update(plaintext).digest().subarray(0, IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", ENCRYPTION_KEY, iv);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const out = new Uint8Array(HEADER_BYTES + body.length);
  out[0] = VERSION;
  out.set(iv, 1);
  out.set(cipher.getAuthTag(), 1 + IV_BYTES);
  out.set(body, HEADER_BYTES);
  return out;
}

/** The plaintext of `sealed`; SealError when it was not sealed here or was altered. */
export function unseal(sealed: Uint8Array): Buffer {
  if (sealed.length < HEADER_BYTES || sealed[0] !== VERSION) throw new SealError("Not a CryptoKey of this runtime");
  const decipher = createDecipheriv("aes-256-gcm", ENCRYPTION_KEY, sealed.subarray(1, 1 + IV_BYTES));
  decipher.setAuthTag(sealed.subarray(1 + IV_BYTES, HEADER_BYTES));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(HEADER_BYTES)), decipher.final()]);
  } catch {
    throw new SealError("Not a CryptoKey of this runtime");
  }
}
