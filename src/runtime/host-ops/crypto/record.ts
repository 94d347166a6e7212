/** @module Key records: a host CryptoKey as plain data (material, algorithm, usages, extractable) and back again by re-import. */
import { KeyObject, webcrypto } from "node:crypto";

type HostKey = webcrypto.CryptoKey;
type JsonWebKey = webcrypto.JsonWebKey;

/**
 * What a key is, enough to import it again: secret keys as raw bytes (base64),
 * the others as a JWK. Non-extractable keys are exported too: from the
 * KeyObject behind the CryptoKey, which ignores the flag.
 */
export interface KeyRecord {
  type: webcrypto.KeyType;
  extractable: boolean;
  usages: webcrypto.KeyUsage[];
  /** The algorithm that importKey takes back: name, and hash, namedCurve or HMAC length. */
  algorithm: Record<string, unknown>;
  format: "raw" | "jwk";
  data: string | JsonWebKey;
}

/** `key` as a record. */
export function recordOf(key: HostKey): KeyRecord {
  const material = KeyObject.from(key);
  const secret = key.type === "secret";
  return {
    type: key.type,
    extractable: key.extractable,
    usages: [...key.usages],
    algorithm: importAlgorithm(key.algorithm as unknown as Record<string, unknown>),
    format: secret ? "raw" : "jwk",
    data: secret ? material.export().toString("base64") : material.export({ format: "jwk" }),
  };
}

/** The key `record` describes, imported again. */
export async function keyOf(record: KeyRecord): Promise<HostKey> {
  const data = record.format === "raw" ? Buffer.from(record.data as string, "base64") : (record.data as JsonWebKey);
  const key = await webcrypto.subtle.importKey(record.format as "jwk", data as JsonWebKey, record.algorithm as unknown as webcrypto.AlgorithmIdentifier, record.extractable, record.usages);
  if (key.type !== record.type) throw new Error(`A ${record.type} key record imported as a ${key.type} key`);
  return key;
}

/** A record as bytes (JSON, members in a fixed order: equal keys give equal bytes). */
export function encodeRecord(record: KeyRecord): Uint8Array {
  return Buffer.from(JSON.stringify(record));
}

/** A record from encodeRecord's bytes (sealed by this process, so only their shape is checked). */
export function decodeRecord(bytes: Uint8Array): KeyRecord {
  const record = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString()) as KeyRecord;
  if (typeof record !== "object" || record === null || (record.format !== "raw" && record.format !== "jwk") || !Array.isArray(record.usages)) {
    throw new Error("Malformed key record");
  }
  return record;
}

function importAlgorithm(algorithm: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { name: algorithm.name };
  const hash = algorithm.hash as { name?: unknown } | undefined;
  if (hash?.name !== undefined) out.hash = hash.name;
  if (algorithm.namedCurve !== undefined) out.namedCurve = algorithm.namedCurve;
  if (algorithm.name === "HMAC") out.length = algorithm.length;
  return out;
}
