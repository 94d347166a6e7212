/**
 * @module The parts of better-sqlite3 this storage uses beyond the KV
 * replica's type declaration (src/bindings/kv/better-sqlite3.d.ts): statement
 * introspection, raw rows, serialize, and opening a database from bytes.
 */
import Database from "better-sqlite3";

/** A prepared statement with the introspection better-sqlite3 provides. */
export interface Statement extends Database.Statement {
  /** True when the statement returns rows (SELECT, RETURNING, some PRAGMAs). */
  readonly reader: boolean;
  /** True when the statement cannot write (sqlite3_stmt_readonly). */
  readonly readonly: boolean;
  /** Rows as arrays instead of objects. */
  raw(toggle?: boolean): this;
  columns(): { name: string }[];
}

/** Prepares one statement. */
export function prepare(db: Database.Database, sql: string): Statement {
  return db.prepare(sql) as Statement;
}

/** The bytes of the main database (sqlite3_serialize). */
export function serializeDatabase(db: Database.Database): Buffer {
  return (db as Database.Database & { serialize(): Buffer }).serialize();
}

/** A database in memory holding a copy of `bytes` (better-sqlite3 deserializes a Buffer given as the file name). */
export function databaseFromBytes(bytes: Buffer): Database.Database {
  return new (Database as unknown as new (bytes: Buffer) => Database.Database)(bytes);
}
