/**
 * @module The SQLite file of one object: its reserved internal tables, the
 * connection settings every copy shares (so replayed SQL behaves the same),
 * and the conversion of snapshots to and from bytes.
 */
import Database from "better-sqlite3";
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { StorageError } from "./errors.js";
import { databaseFromBytes, serializeDatabase } from "./sqlite.js";

/** Every internal table name starts with this; `sql.exec` refuses any statement naming one. */
export const RESERVED_PREFIX = "_verge_";
/** The key-value pairs of `get` / `put` / `list`. */
export const KV_TABLE = `${RESERVED_PREFIX}kv`;
/** One row: the schema format, the last journal sequence applied, the alarm. */
export const META_TABLE = `${RESERVED_PREFIX}meta`;
/** Version of the internal tables' layout, kept in the meta row. */
export const SCHEMA_FORMAT = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS ${KV_TABLE} (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ${META_TABLE} (id INTEGER PRIMARY KEY CHECK (id = 1), format INTEGER NOT NULL, seq INTEGER NOT NULL, alarm INTEGER);
INSERT OR IGNORE INTO ${META_TABLE} (id, format, seq, alarm) VALUES (1, ${SCHEMA_FORMAT}, 0, NULL);`;

/**
 * Opens (creating if needed) the database of an object. Every copy gets the
 * same settings: foreign keys enforced, as in Workers; a file uses WAL with
 * `synchronous = NORMAL` (a crash of the process loses nothing, a crash of
 * the machine may lose the last commits, which the journal holds).
 */
export function openDatabase(file: string): Database.Database {
  return configure(new Database(file), file !== ":memory:");
}

function configure(db: Database.Database, onDisk: boolean): Database.Database {
  try {
    if (onDisk) {
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
    }
    db.pragma("foreign_keys = ON");
    db.exec(SCHEMA);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Bytes 18 and 19 of a SQLite file: 1 for a rollback journal, 2 for WAL. */
const FILE_FORMAT_OFFSETS = [18, 19];

/**
 * The bytes of the whole database. The header is marked as rollback-journal
 * format, so the bytes open anywhere, in memory or as a file (opening them as
 * a file sets WAL again).
 */
export function serialize(db: Database.Database): Uint8Array {
  const bytes = serializeDatabase(db);
  for (const offset of FILE_FORMAT_OFFSETS) bytes[offset] = 1;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const MAGIC = Buffer.from("SQLite format 3\0", "latin1");

/**
 * Opens snapshot bytes in memory, with the settings of `openDatabase`, and
 * checks they hold an object's storage.
 *
 * @throws StorageError `snapshot_invalid` naming what is wrong.
 */
export function openSnapshot(bytes: Uint8Array): Database.Database {
  if (!(bytes instanceof Uint8Array)) throw new StorageError("snapshot_invalid", "snapshot must be bytes (a Uint8Array)");
  const buffer = Buffer.from(bytes);
  if (buffer.length < 100 || !buffer.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new StorageError("snapshot_invalid", `snapshot is not a SQLite database (${buffer.length} bytes, no SQLite header)`);
  }
  for (const offset of FILE_FORMAT_OFFSETS) buffer[offset] = 1;
  let db: Database.Database;
  try {
    db = databaseFromBytes(buffer);
  } catch (cause) {
    throw new StorageError("snapshot_invalid", `snapshot cannot be opened: ${(cause as Error).message}`, { cause });
  }
  try {
    const meta = db.prepare(`SELECT format, seq FROM ${META_TABLE} WHERE id = 1`).get() as { format: number; seq: number } | undefined;
    if (!meta) throw new Error("its meta row is missing");
    if (meta.format !== SCHEMA_FORMAT) throw new Error(`its format is ${meta.format}, this version reads ${SCHEMA_FORMAT}`);
  } catch (cause) {
    db.close();
    throw new StorageError("snapshot_invalid", `snapshot is not an object's storage: ${(cause as Error).message}`, { cause });
  }
  return configure(db, false);
}

/**
 * Puts the database `restored` (then closed) in place of the file `file`: the
 * new file is written in full first, then `release()` closes the connection
 * to the old one, then the new file is renamed over it.
 */
export function replaceFile(file: string, restored: Database.Database, release: () => void): void {
  const temporary = `${file}.restore`;
  try {
    writeFileSync(temporary, serialize(restored));
  } finally {
    restored.close();
  }
  release();
  for (const suffix of ["-wal", "-shm"]) rmSync(file + suffix, { force: true });
  renameSync(temporary, file);
}

/** A SQL identifier in double quotes. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
