/**
 * @module The limits of Durable Object storage, as Workers documents them for
 * SQLite-backed objects, and the checks that enforce them. Each check throws
 * a `StorageError` naming the limit and the value.
 */
import { StorageError } from "./errors.js";

/** Limits of one object's storage; error messages quote these. */
export const DoStorageLimits = {
  /** A key, UTF-8 encoded. */
  MAX_KEY_BYTES: 2048,
  /** A value, as serialized by the isolate. */
  MAX_VALUE_BYTES: 128 * 1024,
  /** Keys in one multi-key get, put or delete. */
  MAX_KEYS_PER_CALL: 128,
  /** One `sql.exec` query string, UTF-8 encoded. */
  MAX_SQL_BYTES: 100_000,
  /** Bound parameters of one SQL statement. */
  MAX_SQL_BINDINGS: 100,
} as const;

/** A lone UTF-16 surrogate: it has no UTF-8 form, so two such keys would collide. */
const LONE_SURROGATE = /\p{Cs}/u;

/** A short quotation of a string for an error message. */
export function quote(text: string, max = 40): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

/**
 * Checks one key and answers its UTF-8 bytes.
 *
 * @throws StorageError `invalid_key` (not a string, or a lone surrogate) or `key_too_large`.
 * @example keyBytes("user:1") // Buffer <75 73 65 72 3a 31>
 */
export function keyBytes(key: unknown, what = "key"): Buffer {
  if (typeof key !== "string") throw new StorageError("invalid_key", `${what} must be a string: received ${describe(key)}`);
  if (LONE_SURROGATE.test(key)) throw new StorageError("invalid_key", `${what} must be well-formed Unicode (it has a lone surrogate): received ${quote(key)}`);
  const bytes = Buffer.from(key, "utf8");
  if (bytes.length > DoStorageLimits.MAX_KEY_BYTES) {
    throw new StorageError("key_too_large", `${what} is ${bytes.length} bytes (UTF-8), over the limit of ${DoStorageLimits.MAX_KEY_BYTES}: ${quote(key)}`);
  }
  return bytes;
}

/**
 * Checks a list of keys given to a multi-key call.
 *
 * @throws StorageError `invalid_key`, `key_too_large` or `too_many_keys`.
 */
export function keysBytes(keys: unknown, call: string): Buffer[] {
  if (!Array.isArray(keys)) throw new StorageError("invalid_key", `${call}() keys must be an array: received ${describe(keys)}`);
  checkCount(keys.length, call);
  return keys.map((key, i) => keyBytes(key, `key ${i}`));
}

/** @throws StorageError `too_many_keys` when `count` is over the per-call limit. */
export function checkCount(count: number, call: string): void {
  if (count > DoStorageLimits.MAX_KEYS_PER_CALL) {
    throw new StorageError("too_many_keys", `${call}() was given ${count} keys, over the limit of ${DoStorageLimits.MAX_KEYS_PER_CALL} per call`);
  }
}

/**
 * Checks a value: bytes, at most `MAX_VALUE_BYTES`.
 *
 * @throws StorageError `invalid_value` or `value_too_large`, naming the key.
 */
export function checkValue(key: string, value: unknown): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new StorageError("invalid_value", `value of ${quote(key)} must be bytes (a Uint8Array): received ${describe(value)}`);
  if (value.byteLength > DoStorageLimits.MAX_VALUE_BYTES) {
    throw new StorageError("value_too_large", `value of ${quote(key)} is ${value.byteLength} bytes, over the limit of ${DoStorageLimits.MAX_VALUE_BYTES} (128 KiB)`);
  }
  return value;
}

/** The largest time a JavaScript Date can hold (ms since the epoch). */
const MAX_DATE_MS = 8.64e15;

/**
 * Checks an alarm time and answers it in whole milliseconds (rounded down).
 *
 * @throws StorageError `invalid_alarm` unless a finite number from 0 to the last Date.
 */
export function alarmTime(time: unknown): number {
  if (typeof time !== "number" || !Number.isFinite(time) || time < 0 || time > MAX_DATE_MS) {
    throw new StorageError("invalid_alarm", `alarm time must be milliseconds since the epoch, from 0 to ${MAX_DATE_MS}: received ${describe(time)}`);
  }
  return Math.floor(time);
}

/** How a bad value looks in an error message: its type, and the value itself when short. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return quote(value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return `${typeof value} ${String(value)}`;
  if (value instanceof Uint8Array) return `${value.byteLength} bytes`;
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return `an object (${value.constructor?.name ?? "no prototype"})`;
  return typeof value;
}
