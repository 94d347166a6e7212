/**
 * @module Applying journal operations to an object's database: the one code
 * path of both a live write and a replay, so a copy rebuilt from the journal
 * runs exactly what the owner ran. Callers hold a SQLite transaction.
 */
import type Database from "better-sqlite3";
import type { JournalOp } from "./journal.js";
import type { KvTable } from "./kv-table.js";
import { RESERVED_PREFIX, quoteIdent } from "./schema.js";
import type { SqlRunner } from "./sql.js";

/** Applies `op` (already checked) to the database. */
export function applyOp(db: Database.Database, kv: KvTable, sql: SqlRunner, op: JournalOp): void {
  switch (op.op) {
    case "put":
      kv.put(Buffer.from(op.key, "utf8"), op.value);
      return;
    case "delete":
      kv.delete(Buffer.from(op.key, "utf8"));
      return;
    case "deleteAll":
      kv.clear();
      dropUserSchema(db);
      if (op.alarm) kv.setAlarm(null);
      return;
    case "setAlarm":
      kv.setAlarm(op.time);
      return;
    case "deleteAlarm":
      kv.setAlarm(null);
      return;
    case "sql":
      sql.replay(op.query, op.bindings);
      return;
  }
}

interface SchemaObject {
  type: string;
  name: string;
  sql: string | null;
}

/**
 * Drops every table, view and trigger a worker created (indexes, and the AUTOINCREMENT
 * counters in sqlite_sequence, go with their tables). Foreign keys are checked at commit, so the order does not matter.
 */
export function dropUserSchema(db: Database.Database): void {
  const objects = () =>
    db.prepare(`SELECT type, name, sql FROM sqlite_schema WHERE type IN ('table', 'view', 'trigger') AND substr(name, 1, ${RESERVED_PREFIX.length}) <> '${RESERVED_PREFIX}' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`).all() as SchemaObject[];
  const initial = objects();
  if (initial.length === 0) return;
  db.pragma("defer_foreign_keys = ON");
  for (const { type, name } of initial) if (type !== "table") db.exec(`DROP ${type === "view" ? "VIEW" : "TRIGGER"} IF EXISTS ${quoteIdent(name)}`);
  // Virtual tables first: dropping one drops its shadow tables.
  for (const { type, name, sql } of initial) if (type === "table" && /^\s*CREATE\s+VIRTUAL\b/i.test(sql ?? "")) db.exec(`DROP TABLE IF EXISTS ${quoteIdent(name)}`);
  for (const { type, name } of objects()) if (type === "table") db.exec(`DROP TABLE IF EXISTS ${quoteIdent(name)}`);
}
