/**
 * @module The options of `list()` as Workers defines them (prefix, start,
 * startAfter, end, limit, reverse), checked and turned into one range of
 * UTF-8 key bytes: `[low, high)`, which SQLite compares byte by byte.
 */
import { StorageError } from "./errors.js";
import { describe, keyBytes } from "./limits.js";

/** Options of `list()`. Keys are compared as UTF-8 bytes. */
export interface ListOptions {
  /** Only keys starting with this. */
  prefix?: string;
  /** Only keys at or after this (inclusive). */
  start?: string;
  /** Only keys after this (exclusive); not with `start`. */
  startAfter?: string;
  /** Only keys before this (exclusive). */
  end?: string;
  /** At most this many keys (a whole number from 1). */
  limit?: number;
  /** Descending order: with `limit`, the last keys of the range. */
  reverse?: boolean;
}

/** A checked listing: keys `low <= key < high` (`high` null: no bound). */
export interface KeyRange {
  low: Buffer;
  high: Buffer | null;
  /** -1: no limit. */
  limit: number;
  reverse: boolean;
}

const OPTION_NAMES = new Set(["prefix", "start", "startAfter", "end", "limit", "reverse"]);
/** Workers' hints about gates and caching, which this layer has none of: accepted and ignored. */
const IGNORED_OPTIONS = new Set(["allowConcurrency", "noCache"]);

/**
 * Checks the options of `list()` and answers the range they select.
 *
 * @throws StorageError `invalid_option` naming the option and its value.
 * @example keyRange({ prefix: "a", limit: 2 }) // { low: <61>, high: <62>, limit: 2, reverse: false }
 */
export function keyRange(options: unknown = {}): KeyRange {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new StorageError("invalid_option", `list() options must be an object: received ${describe(options)}`);
  }
  const o = options as Record<string, unknown>;
  for (const name of Object.keys(o)) {
    if (!OPTION_NAMES.has(name) && !IGNORED_OPTIONS.has(name)) throw new StorageError("invalid_option", `list() has no option ${JSON.stringify(name)}`);
  }
  if (o.start !== undefined && o.startAfter !== undefined) {
    throw new StorageError("invalid_option", "list() takes start or startAfter, not both");
  }
  const bound = (name: string) => (o[name] === undefined ? null : optionBytes(name, o[name]));
  const prefix = bound("prefix");
  const start = bound("start");
  const startAfter = bound("startAfter");
  const end = bound("end");
  let low = prefix ?? Buffer.alloc(0);
  if (start && Buffer.compare(start, low) > 0) low = start;
  // The first key after `startAfter` in byte order is `startAfter` followed by a zero byte.
  if (startAfter && Buffer.compare(startAfter, low) >= 0) low = Buffer.concat([startAfter, Buffer.of(0)]);
  let high = prefix ? prefixEnd(prefix) : null;
  if (end && (high === null || Buffer.compare(end, high) < 0)) high = end;
  return { low, high, limit: checkLimit(o.limit), reverse: checkReverse(o.reverse) };
}

/** The first key after every key starting with `prefix`, or null when there is none. */
export function prefixEnd(prefix: Buffer): Buffer | null {
  let last = prefix.length - 1;
  while (last >= 0 && prefix[last] === 0xff) last--;
  if (last < 0) return null;
  const end = Buffer.from(prefix.subarray(0, last + 1));
  end[last]++;
  return end;
}

/** Whether `key` (UTF-8 bytes) is in `range`. */
export function inRange(key: Buffer, range: KeyRange): boolean {
  return Buffer.compare(key, range.low) >= 0 && (range.high === null || Buffer.compare(key, range.high) < 0);
}

/** Whether the range can hold no key at all. */
export function isEmpty(range: KeyRange): boolean {
  return range.high !== null && Buffer.compare(range.low, range.high) >= 0;
}

function optionBytes(name: string, value: unknown): Buffer {
  if (typeof value !== "string") throw new StorageError("invalid_option", `list() option ${name} must be a string: received ${describe(value)}`);
  try {
    return keyBytes(value, `list() option ${name}`);
  } catch (error) {
    // A bound longer than any key is still a valid bound.
    if (error instanceof StorageError && error.code === "key_too_large") return Buffer.from(value, "utf8");
    throw new StorageError("invalid_option", (error as Error).message);
  }
}

function checkLimit(limit: unknown): number {
  if (limit === undefined) return -1;
  if (typeof limit !== "number" || !Number.isSafeInteger(limit) || limit < 1) {
    throw new StorageError("invalid_option", `list() option limit must be a whole number from 1: received ${describe(limit)}`);
  }
  return limit;
}

function checkReverse(reverse: unknown): boolean {
  if (reverse === undefined) return false;
  if (typeof reverse !== "boolean") throw new StorageError("invalid_option", `list() option reverse must be a boolean: received ${describe(reverse)}`);
  return reverse;
}
