/**
 * @module The values that cross `sql.exec`: what may be bound to a `?`
 * parameter (null, number, bigint, string, bytes) and what a row holds
 * (integers as numbers, as in Workers; blobs as Uint8Array).
 */
import { StorageError } from "./errors.js";
import { describe } from "./limits.js";
import { bufferOf, bytesOf } from "./kv-table.js";

/** A value bound to a parameter or read from a row. */
export type SqlValue = null | number | bigint | string | Uint8Array;

/**
 * Checks the bindings of a statement and answers them, bytes copied.
 *
 * @throws StorageError `sql_bindings` naming the position and the value.
 */
export function checkBindings(bindings: readonly unknown[]): SqlValue[] {
  return bindings.map((value, i) => {
    if (value === null || typeof value === "number" || typeof value === "bigint" || typeof value === "string") return value;
    // Copied: the journal keeps these until the enclosing transaction commits.
    if (value instanceof Uint8Array) return value.slice();
    if (value instanceof ArrayBuffer) return new Uint8Array(value.slice(0));
    throw new StorageError("sql_bindings", `binding ${i + 1} must be null, a number, a bigint, a string or bytes: received ${describe(value)}`);
  });
}

/** Bindings as better-sqlite3 takes them (bytes as Buffers). */
export function bindable(bindings: readonly SqlValue[]): unknown[] {
  return bindings.map((value) => (value instanceof Uint8Array ? bufferOf(value) : value));
}

/** A row from better-sqlite3 in raw mode, blobs as plain Uint8Arrays. */
export function rowValues(row: unknown[]): SqlValue[] {
  return row.map((value) => (Buffer.isBuffer(value) ? bytesOf(value) : (value as SqlValue)));
}
