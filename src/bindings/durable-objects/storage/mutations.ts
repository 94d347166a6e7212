/**
 * @module The batch given to `commit()`: checked whole before any of it is
 * applied, with the same limits as the single calls, values copied.
 */
import { StorageError } from "./errors.js";
import type { JournalOp } from "./journal.js";
import { alarmTime, checkValue, describe, keyBytes } from "./limits.js";

/**
 * The checked ops of a batch.
 *
 * @throws StorageError naming the position of the first bad mutation.
 * @example checkMutations([{ op: "put", key: "a", value: bytes }, { op: "deleteAlarm" }])
 */
export function checkMutations(mutations: unknown): JournalOp[] {
  if (!Array.isArray(mutations)) throw new StorageError("invalid_option", `commit() takes an array of mutations: received ${describe(mutations)}`);
  return mutations.map((m: unknown, i): JournalOp => {
    try {
      return checkMutation(m);
    } catch (error) {
      if (error instanceof StorageError) throw new StorageError(error.code, `mutation ${i}: ${error.message}`, { cause: error });
      throw error;
    }
  });
}

function checkMutation(m: unknown): JournalOp {
  const op = m !== null && typeof m === "object" ? (m as Record<string, unknown>).op : undefined;
  const fields = m as Record<string, unknown>;
  switch (op) {
    case "put":
      keyBytes(fields.key);
      return { op, key: fields.key as string, value: checkValue(fields.key as string, fields.value).slice() };
    case "delete":
      keyBytes(fields.key);
      return { op, key: fields.key as string };
    case "setAlarm":
      return { op, time: alarmTime(fields.time) };
    case "deleteAlarm":
      return { op };
    default:
      throw new StorageError("invalid_option", `a mutation is { op: "put" | "delete" | "setAlarm" | "deleteAlarm", … }: received op ${describe(op)}`);
  }
}
