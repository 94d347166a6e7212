/**
 * @module The host-side storage of one Durable Object: `ObjectStorage` and
 * the types and errors of its public API. Everything else in this folder is
 * internal.
 */
export { ObjectStorage } from "./storage.js";
export type { DeleteAllOptions, ObjectStorageOptions, SqlStorage } from "./storage.js";
export { StorageTransaction } from "./transaction.js";
export type { Mutation } from "./transaction.js";
export type { ListOptions } from "./list.js";
export { SqlCursor } from "./sql-cursor.js";
export type { RawRows, SqlRow } from "./sql-cursor.js";
export type { SqlValue } from "./sql-values.js";
export { decodeEntry, encodeEntry } from "./journal.js";
export type { JournalEntry, JournalOp, JournalRecord } from "./journal.js";
export { StorageError, StorageSystemErrorCodes, StorageUserErrorCodes } from "./errors.js";
export type { StorageErrorCode } from "./errors.js";
export { DoStorageLimits } from "./limits.js";
export { RESERVED_PREFIX } from "./schema.js";
export { dumpSnapshot } from "./dump.js";
