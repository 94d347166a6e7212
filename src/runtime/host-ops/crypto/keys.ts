/** @module Host keys and the isolate's sealed keys: a key the host made goes out sealed, a sealed key coming in is imported again (or found in the cache). */
import type { webcrypto } from "node:crypto";
import { keyCache } from "./key-cache.js";
import { decodeRecord, encodeRecord, keyOf, recordOf } from "./record.js";
import { seal, unseal } from "./seal.js";
import type { WireAlgorithm, WireKey } from "./wire.js";

type HostKey = webcrypto.CryptoKey;

/** What the isolate gets for a key the host made: the key sealed, and its public fields. */
export function toWireKey(key: HostKey): WireKey {
  const sealed = seal(encodeRecord(recordOf(key)));
  keyCache.put(sealed, key);
  return {
    sealed,
    type: key.type,
    extractable: key.extractable,
    algorithm: copyAlgorithm(key.algorithm as unknown as Record<string, unknown>),
    usages: [...key.usages],
  };
}

/** The host key of a sealed key; rejects with an InvalidAccessError when this process did not seal it. */
export function fromSealed(sealed: Uint8Array): Promise<HostKey> {
  return keyCache.get(sealed, async () => keyOf(decodeRecord(unseal(sealed))));
}

function copyAlgorithm(algorithm: Record<string, unknown>): WireAlgorithm {
  const copy: Record<string, unknown> = {};
  for (const [member, value] of Object.entries(algorithm)) {
    if (value instanceof Uint8Array) copy[member] = new Uint8Array(value);
    else if (typeof value === "object" && value !== null) copy[member] = { ...value };
    else copy[member] = value;
  }
  return copy as WireAlgorithm;
}
