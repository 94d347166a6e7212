/**
 * @module The statements over one object's internal tables: key-value pairs
 * (keys as UTF-8 bytes, so SQLite's byte comparison is the Workers order),
 * the alarm and the journal sequence. No checks here: callers pass checked
 * input, inside a SQLite transaction when they write.
 */
import type Database from "better-sqlite3";
import type { KeyRange } from "./list.js";
import { isEmpty } from "./list.js";
import { KV_TABLE, META_TABLE } from "./schema.js";

interface Pair {
  key: Buffer;
  value: Buffer;
}

/** Bytes from SQLite as a plain Uint8Array over the same memory. */
export function bytesOf(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** A Uint8Array as a Buffer over the same memory (what better-sqlite3 binds). */
export function bufferOf(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export class KvTable {
  readonly #get: Database.Statement;
  readonly #put: Database.Statement;
  readonly #delete: Database.Statement;
  readonly #clear: Database.Statement;
  /** Listing statements by [has high bound][reverse]. */
  readonly #list: Database.Statement[][];
  readonly #meta: Database.Statement;
  readonly #setSeq: Database.Statement;
  readonly #setAlarm: Database.Statement;

  constructor(db: Database.Database) {
    this.#get = db.prepare(`SELECT value FROM ${KV_TABLE} WHERE key = ?`);
    this.#put = db.prepare(`INSERT OR REPLACE INTO ${KV_TABLE} (key, value) VALUES (?, ?)`);
    this.#delete = db.prepare(`DELETE FROM ${KV_TABLE} WHERE key = ?`);
    this.#clear = db.prepare(`DELETE FROM ${KV_TABLE}`);
    const list = (high: boolean, reverse: boolean) =>
      db.prepare(`SELECT key, value FROM ${KV_TABLE} WHERE key >= @low ${high ? "AND key < @high" : ""} ORDER BY key ${reverse ? "DESC" : "ASC"} LIMIT @limit`);
    this.#list = [
      [list(false, false), list(false, true)],
      [list(true, false), list(true, true)],
    ];
    this.#meta = db.prepare(`SELECT seq, alarm FROM ${META_TABLE} WHERE id = 1`);
    this.#setSeq = db.prepare(`UPDATE ${META_TABLE} SET seq = ? WHERE id = 1`);
    this.#setAlarm = db.prepare(`UPDATE ${META_TABLE} SET alarm = ? WHERE id = 1`);
  }

  get(key: Buffer): Uint8Array | null {
    const row = this.#get.get(key) as { value: Buffer } | undefined;
    return row ? bytesOf(row.value) : null;
  }

  put(key: Buffer, value: Uint8Array): void {
    this.#put.run(key, bufferOf(value));
  }

  /** Whether the key was there. */
  delete(key: Buffer): boolean {
    return this.#delete.run(key).changes > 0;
  }

  clear(): void {
    this.#clear.run();
  }

  /** The pairs of `range` in its order, keys decoded. */
  list(range: KeyRange): Map<string, Uint8Array> {
    const found = new Map<string, Uint8Array>();
    if (isEmpty(range)) return found;
    const statement = this.#list[range.high === null ? 0 : 1][range.reverse ? 1 : 0];
    const params = range.high === null ? { low: range.low, limit: range.limit } : { low: range.low, high: range.high, limit: range.limit };
    for (const row of statement.all(params) as Pair[]) found.set(row.key.toString("utf8"), bytesOf(row.value));
    return found;
  }

  /** The last journal sequence applied. */
  seq(): number {
    return (this.#meta.get() as { seq: number }).seq;
  }

  setSeq(seq: number): void {
    this.#setSeq.run(seq);
  }

  alarm(): number | null {
    return (this.#meta.get() as { alarm: number | null }).alarm;
  }

  setAlarm(time: number | null): void {
    this.#setAlarm.run(time);
  }
}
