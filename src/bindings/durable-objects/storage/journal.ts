/**
 * @module Journal records: one per committed change of an object's storage
 * (a batch of key-value writes, a deleteAll, an alarm change, the write
 * statements of one `sql.exec`), numbered by a sequence that the storage
 * keeps in its own database. A record is bytes, so any stream can carry it.
 *
 * Format (little-endian): version u8 = 1, seq f64, op count u32, then each op
 * as a tag u8 and its fields; text and bytes are u32-length-prefixed.
 */
import { ByteReader, ByteWriter } from "./bytes.js";
import { StorageError } from "./errors.js";
import type { SqlValue } from "./sql-values.js";

/** One change inside a record. `sql` is a single write statement with its bindings. */
export type JournalOp =
  | { op: "put"; key: string; value: Uint8Array }
  | { op: "delete"; key: string }
  | { op: "deleteAll"; alarm: boolean }
  | { op: "setAlarm"; time: number }
  | { op: "deleteAlarm" }
  | { op: "sql"; query: string; bindings: SqlValue[] };

/** A decoded record: applied atomically, in `seq` order (1, 2, 3, …). */
export interface JournalEntry {
  seq: number;
  ops: JournalOp[];
}

/** What `onCommit` receives: the sequence, and the record as bytes. */
export interface JournalRecord {
  seq: number;
  bytes: Uint8Array;
}

const VERSION = 1;
const OP_TAGS = { put: 1, delete: 2, deleteAll: 3, setAlarm: 4, deleteAlarm: 5, sql: 6 } as const;
const VALUE_TAGS = { null: 0, number: 1, bigint: 2, string: 3, bytes: 4 } as const;

/** A record as bytes. @example encodeEntry({ seq: 1, ops: [{ op: "delete", key: "a" }] }) // Uint8Array(19) */
export function encodeEntry(entry: JournalEntry): Uint8Array {
  const w = new ByteWriter();
  w.u8(VERSION);
  w.f64(entry.seq);
  w.u32(entry.ops.length);
  for (const op of entry.ops) {
    w.u8(OP_TAGS[op.op]);
    if (op.op === "put") {
      w.text(op.key);
      w.bytes(op.value);
    } else if (op.op === "delete") w.text(op.key);
    else if (op.op === "deleteAll") w.u8(op.alarm ? 1 : 0);
    else if (op.op === "setAlarm") w.f64(op.time);
    else if (op.op === "sql") {
      w.text(op.query);
      w.u32(op.bindings.length);
      for (const value of op.bindings) writeValue(w, value);
    }
  }
  return w.finish();
}

/**
 * @throws StorageError `journal_invalid` when the bytes are not a record of this version.
 */
export function decodeEntry(bytes: Uint8Array): JournalEntry {
  if (!(bytes instanceof Uint8Array)) throw new StorageError("journal_invalid", "journal record must be bytes (a Uint8Array)");
  const r = new ByteReader(bytes);
  const version = r.u8();
  if (version !== VERSION) throw new StorageError("journal_invalid", `journal record has version ${version}, this version reads ${VERSION}`);
  const seq = r.f64();
  if (!Number.isSafeInteger(seq) || seq < 1) throw new StorageError("journal_invalid", `journal record has sequence ${seq}`);
  const ops: JournalOp[] = [];
  for (let count = r.u32(); count > 0; count--) ops.push(readOp(r));
  r.end();
  return { seq, ops };
}

function readOp(r: ByteReader): JournalOp {
  const tag = r.u8();
  switch (tag) {
    case OP_TAGS.put:
      return { op: "put", key: r.text(), value: r.bytes() };
    case OP_TAGS.delete:
      return { op: "delete", key: r.text() };
    case OP_TAGS.deleteAll:
      return { op: "deleteAll", alarm: r.u8() === 1 };
    case OP_TAGS.setAlarm:
      return { op: "setAlarm", time: r.f64() };
    case OP_TAGS.deleteAlarm:
      return { op: "deleteAlarm" };
    case OP_TAGS.sql: {
      const query = r.text();
      const bindings: SqlValue[] = [];
      for (let count = r.u32(); count > 0; count--) bindings.push(readValue(r));
      return { op: "sql", query, bindings };
    }
    default:
      throw new StorageError("journal_invalid", `journal record has an unknown operation tag ${tag}`);
  }
}

function writeValue(w: ByteWriter, value: SqlValue): void {
  if (value === null) w.u8(VALUE_TAGS.null);
  else if (typeof value === "number") {
    w.u8(VALUE_TAGS.number);
    w.f64(value);
  } else if (typeof value === "bigint") {
    w.u8(VALUE_TAGS.bigint);
    w.text(value.toString());
  } else if (typeof value === "string") {
    w.u8(VALUE_TAGS.string);
    w.text(value);
  } else {
    w.u8(VALUE_TAGS.bytes);
    w.bytes(value);
  }
}

function readValue(r: ByteReader): SqlValue {
  const tag = r.u8();
  switch (tag) {
    case VALUE_TAGS.null:
      return null;
    case VALUE_TAGS.number:
      return r.f64();
    case VALUE_TAGS.bigint: {
      const text = r.text();
      if (!/^-?\d+$/.test(text)) throw new StorageError("journal_invalid", `journal record has a bigint that is not an integer: ${JSON.stringify(text)}`);
      return BigInt(text);
    }
    case VALUE_TAGS.string:
      return r.text();
    case VALUE_TAGS.bytes:
      return r.bytes();
    default:
      throw new StorageError("journal_invalid", `journal record has an unknown value tag ${tag}`);
  }
}
