/**
 * @module A canonical text dump of a storage snapshot: every schema object's
 * SQL, then every table's rows in a fixed order, internal tables included.
 * Two copies hold the same data exactly when their dumps are equal, which is
 * how replay is checked.
 */
import { openSnapshot, quoteIdent } from "./schema.js";
import { prepare } from "./sqlite.js";

/**
 * The dump of a snapshot (as `ObjectStorage.snapshot()` gives it).
 *
 * @throws StorageError `snapshot_invalid`.
 * @example dumpSnapshot(storage.snapshot()) === dumpSnapshot(copy.snapshot())
 */
export function dumpSnapshot(snapshot: Uint8Array): string {
  const db = openSnapshot(snapshot);
  try {
    const lines: string[] = [];
    const objects = db.prepare("SELECT type, name, sql FROM sqlite_schema ORDER BY type, name").all() as { type: string; name: string; sql: string | null }[];
    for (const { type, name, sql } of objects) lines.push(`${type} ${name}: ${sql ?? "(automatic)"}`);
    for (const { name } of objects.filter((o) => o.type === "table")) {
      const columns = prepare(db, `SELECT * FROM ${quoteIdent(name)}`).columns().length;
      const order = Array.from({ length: columns }, (_, i) => i + 1).join(", ");
      let statement = prepare(db, `SELECT * FROM ${quoteIdent(name)} ORDER BY ${order}`);
      try {
        statement = prepare(db, `SELECT _rowid_, * FROM ${quoteIdent(name)} ORDER BY _rowid_`);
      } catch {
        // A WITHOUT ROWID or virtual table: ordered by every column.
      }
      for (const row of statement.raw(true).all() as unknown[][]) lines.push(`${name} ${row.map(show).join(" | ")}`);
    }
    return lines.join("\n");
  } finally {
    db.close();
  }
}

function show(value: unknown): string {
  if (Buffer.isBuffer(value)) return `x'${value.toString("hex")}'`;
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}
