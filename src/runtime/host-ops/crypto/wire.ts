/** @module The wire form of op `crypto.subtle`, shared by host and prelude: types and constants only, no imports (both Node and bare V8 use it). */

// A call is `op("crypto.subtle", method, args)`: `args` follow the WebCrypto
// signature of `method`, with BufferSources as Uint8Array and CryptoKeys (as
// arguments or as ECDH's `public` member) as WireKeyRef. A sealed key is the
// key's material, algorithm, usages and extractable flag, encrypted and
// authenticated with a secret of the host process (host-ops/crypto/seal.ts):
// the isolate carries its keys without being able to read or change them.

/** The SubtleCrypto methods that cross the bridge. */
export const SUBTLE_METHODS = [
  "encrypt", "decrypt", "sign", "verify", "digest", "generateKey",
  "deriveKey", "deriveBits", "importKey", "exportKey", "wrapKey", "unwrapKey",
] as const;
export type SubtleMethod = (typeof SUBTLE_METHODS)[number];

/** Limits on host-side work a tenant can ask for (the host's thread pool is shared by the PoP). */
export const SubtleLimits = {
  /** PBKDF2 iterations (workerd's limit too). */
  MAX_PBKDF2_ITERATIONS: 100_000,
  /** RSA modulus length for generateKey; import accepts any size Node accepts. */
  MAX_RSA_GENERATE_BITS: 4096,
  /** Size of a sealed key the host accepts (an RSA-16384 private key seals to about 13 KB). */
  MAX_SEALED_BYTES: 65_536,
} as const;

/** A CryptoKey on the wire, from the isolate to the host. */
export interface WireKeyRef {
  sealed: Uint8Array;
}

/** A normalized algorithm dictionary on the wire. */
export interface WireAlgorithm {
  name: string;
  [member: string]: unknown;
}

/** A key the host made, as the isolate keeps it: sealed, with its public fields copied. */
export interface WireKey {
  sealed: Uint8Array;
  type: "public" | "private" | "secret";
  extractable: boolean;
  algorithm: WireAlgorithm;
  usages: string[];
}

/** The result of a call, tagged by kind. */
export type WireSubtleResult =
  | { kind: "bytes"; bytes: Uint8Array }
  | { kind: "boolean"; value: boolean }
  | { kind: "key"; key: WireKey }
  | { kind: "pair"; publicKey: WireKey; privateKey: WireKey }
  | { kind: "jwk"; jwk: Record<string, unknown> };
