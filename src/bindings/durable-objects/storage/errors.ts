/**
 * @module The one error class of a Durable Object's storage, with a stable
 * `code`. User errors (bad keys, values, options, SQL) are the caller's to fix
 * and leave storage unchanged; system errors (a journal record or snapshot
 * that cannot be read, a broken commit hook) are the platform's.
 */
import { CodedError } from "../../../errors.js";

/** Codes of errors a worker can cause and fix: its call was refused and nothing changed. */
export const StorageUserErrorCodes = [
  "invalid_key",
  "key_too_large",
  "invalid_value",
  "value_too_large",
  "too_many_keys",
  "invalid_option",
  "invalid_alarm",
  "transaction_closed",
  "transaction_conflict",
  "sql_reserved_name",
  "sql_not_allowed",
  "sql_nondeterministic",
  "sql_bindings",
  "sql_too_large",
  "sql_error",
  "sql_no_single_row",
] as const;

/** Codes of errors in the platform's use of storage (journal, snapshots, hooks). */
export const StorageSystemErrorCodes = ["journal_invalid", "journal_gap", "journal_replay_failed", "snapshot_invalid", "transaction_open", "closed"] as const;

export type StorageErrorCode = (typeof StorageUserErrorCodes)[number] | (typeof StorageSystemErrorCodes)[number];

/**
 * An error of `ObjectStorage` with a stable `code`; the message names the
 * limit or rule and the value that broke it.
 *
 * @example
 * try { storage.put(key, value) } catch (e) { if (e instanceof StorageError && e.code === "value_too_large") ... }
 */
export class StorageError extends CodedError<StorageErrorCode> {
  override readonly name = "StorageError";

  /** Whether the caller (the worker) caused it, as opposed to the platform. */
  get isUserError(): boolean {
    return (StorageUserErrorCodes as readonly string[]).includes(this.code);
  }
}
