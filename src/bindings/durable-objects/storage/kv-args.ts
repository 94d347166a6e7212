/**
 * @module The arguments of the key-value calls, checked the same way for the
 * storage and for an open transaction: one key or an array of keys, one pair
 * or an object (or Map) of pairs. Values are copied, so a caller changing
 * its bytes later cannot change what was stored or journaled.
 */
import { StorageError } from "./errors.js";
import { checkCount, checkValue, describe, keyBytes, keysBytes } from "./limits.js";

/** A checked key and its UTF-8 bytes. */
export interface CheckedKey {
  key: string;
  bytes: Buffer;
}

/** A checked pair. */
export interface CheckedEntry extends CheckedKey {
  value: Uint8Array;
}

/** @throws StorageError `invalid_key` or `key_too_large`. */
export function checkedKey(key: unknown): CheckedKey {
  return { key: key as string, bytes: keyBytes(key) };
}

/**
 * The distinct keys of a multi-key call, in UTF-8 byte order.
 *
 * @throws StorageError `invalid_key`, `key_too_large` or `too_many_keys`.
 */
export function checkedKeys(keys: unknown, call: string): CheckedKey[] {
  const bytes = keysBytes(keys, call);
  const unique = new Map<string, CheckedKey>();
  (keys as string[]).forEach((key, i) => unique.set(key, { key, bytes: bytes[i] }));
  return [...unique.values()].sort((a, b) => Buffer.compare(a.bytes, b.bytes));
}

/**
 * The pairs of `put(key, value)` or `put(entries)`.
 *
 * @throws StorageError `invalid_key`, `key_too_large`, `invalid_value`, `value_too_large` or `too_many_keys`.
 */
export function checkedEntries(keyOrEntries: unknown, value: unknown): CheckedEntry[] {
  if (typeof keyOrEntries === "string") return [{ key: keyOrEntries, bytes: keyBytes(keyOrEntries), value: checkValue(keyOrEntries, value).slice() }];
  if (value !== undefined) throw new StorageError("invalid_key", `put() key must be a string: received ${describe(keyOrEntries)}`);
  const pairs = entriesOf(keyOrEntries);
  checkCount(pairs.length, "put");
  return pairs.map(([key, v]) => ({ key, bytes: keyBytes(key), value: checkValue(key, v).slice() }));
}

function entriesOf(entries: unknown): [string, unknown][] {
  if (entries instanceof Map) return [...(entries as Map<unknown, unknown>)].map(([key, v]) => [key as string, v]); // keys checked by the caller
  if (entries === null || typeof entries !== "object" || Array.isArray(entries) || entries instanceof Uint8Array) {
    throw new StorageError("invalid_key", `put() takes a key and a value, or an object of entries: received ${describe(entries)}`);
  }
  return Object.entries(entries);
}
