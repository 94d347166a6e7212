/**
 * @module `ObjectStorage`: the storage of one Durable Object on the host,
 * over its own SQLite database, with the semantics of `ctx.storage` in
 * Workers (key-value calls, transactions, alarms, `sql.exec`). Every
 * committed change becomes one journal record, handed to `onCommit`;
 * `apply()` replays records on another copy, and `snapshot()` / `restore()`
 * let a copy start from a snapshot and replay only the records after it.
 */
import type Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { StorageError } from "./errors.js";
import type { JournalOp, JournalRecord } from "./journal.js";
import { decodeEntry, encodeEntry } from "./journal.js";
import { checkedEntries, checkedKey, checkedKeys } from "./kv-args.js";
import { KvTable } from "./kv-table.js";
import { alarmTime, describe } from "./limits.js";
import type { ListOptions } from "./list.js";
import { keyRange } from "./list.js";
import { checkMutations } from "./mutations.js";
import { applyOp } from "./ops.js";
import { openDatabase, openSnapshot, replaceFile, serialize } from "./schema.js";
import type { SqlCursor } from "./sql-cursor.js";
import { SqlRunner } from "./sql.js";
import type { Mutation } from "./transaction.js";
import { StorageTransaction } from "./transaction.js";

/** Options of a storage. */
export interface ObjectStorageOptions {
  /**
   * Called after each local commit, before the call that committed returns,
   * with the change as a journal record. The change is committed locally
   * whatever the hook does; if it throws, the error reaches the caller.
   */
  onCommit?: (record: JournalRecord) => void;
}

/** `ctx.storage.sql`: `exec` and the database size in bytes. */
export interface SqlStorage {
  exec(query: string, ...bindings: unknown[]): SqlCursor;
  readonly databaseSize: number;
}

/** Options of `deleteAll()`. */
export interface DeleteAllOptions {
  /** Delete the alarm too, as Workers does from compatibility date 2026-02-24. Default true. */
  alarm?: boolean;
}

const OBJECT_ID = /^[A-Za-z0-9_-]{1,128}$/;

export class ObjectStorage {
  /** `sql.exec(query, ...bindings)` and `sql.databaseSize`, as in Workers. */
  readonly sql: SqlStorage;
  readonly #file: string;
  readonly #onCommit: ((record: JournalRecord) => void) | undefined;
  #db: Database.Database;
  #kv: KvTable;
  #sql: SqlRunner;
  #size: Database.Statement;
  /** The ops of the transactionSync() being run, or null outside one. */
  #unit: JournalOp[] | null = null;
  #generation = 0;
  #closed = false;

  /**
   * Opens the storage of object `objectId` in `directory` (created if needed), file `<objectId>.sqlite`.
   *
   * @throws StorageError `invalid_option` for an id that is not a safe file name.
   * @example const storage = ObjectStorage.open("/var/verge/do/Counter", id.toString(), { onCommit: append })
   */
  static open(directory: string, objectId: string, options: ObjectStorageOptions = {}): ObjectStorage {
    if (typeof objectId !== "string" || !OBJECT_ID.test(objectId)) {
      throw new StorageError("invalid_option", `object id must be 1 to 128 letters, digits, _ or -: received ${describe(objectId)}`);
    }
    mkdirSync(directory, { recursive: true });
    return new ObjectStorage(join(directory, `${objectId}.sqlite`), options);
  }

  /** `file`: a SQLite file, or ":memory:". */
  constructor(file: string, options: ObjectStorageOptions = {}) {
    this.#file = file;
    this.#onCommit = options.onCommit;
    this.#db = openDatabase(file);
    this.#kv = new KvTable(this.#db);
    this.#sql = new SqlRunner(this.#db);
    this.#size = this.#db.prepare("SELECT page_count * page_size AS n FROM pragma_page_count(), pragma_page_size()");
    this.sql = Object.defineProperty({ exec: (query: string, ...bindings: unknown[]) => this.#exec(query, bindings) }, "databaseSize", {
      get: () => (this.#open(), (this.#size.get() as { n: number }).n),
      enumerable: true,
    }) as SqlStorage;
  }

  /** The sequence of the last journal record committed or applied (0: none). */
  get lastSeq(): number {
    this.#open();
    return this.#kv.seq();
  }

  /** The value of `key`, or null. */
  get(key: string): Uint8Array | null;
  /** The values of the keys that exist, in key order. */
  get(keys: readonly string[]): Map<string, Uint8Array>;
  get(keyOrKeys: unknown): Uint8Array | null | Map<string, Uint8Array> {
    this.#open();
    if (!Array.isArray(keyOrKeys)) return this.#kv.get(checkedKey(keyOrKeys).bytes);
    const found = new Map<string, Uint8Array>();
    for (const { key, bytes } of checkedKeys(keyOrKeys, "get")) {
      const value = this.#kv.get(bytes);
      if (value !== null) found.set(key, value);
    }
    return found;
  }

  put(key: string, value: Uint8Array): void;
  put(entries: Record<string, Uint8Array> | Map<string, Uint8Array>): void;
  put(keyOrEntries: unknown, value?: unknown): void {
    this.#open();
    const entries = checkedEntries(keyOrEntries, value);
    this.#write((ops) => {
      for (const { key, bytes, value: v } of entries) {
        this.#kv.put(bytes, v);
        ops.push({ op: "put", key, value: v });
      }
    });
  }

  /** Whether the key existed. */
  delete(key: string): boolean;
  /** How many of the keys existed. */
  delete(keys: readonly string[]): number;
  delete(keyOrKeys: unknown): boolean | number {
    this.#open();
    const many = Array.isArray(keyOrKeys);
    const keys = many ? checkedKeys(keyOrKeys, "delete") : [checkedKey(keyOrKeys)];
    const deleted = this.#write((ops) => {
      let count = 0;
      for (const { key, bytes } of keys) {
        if (!this.#kv.delete(bytes)) continue;
        count++;
        ops.push({ op: "delete", key });
      }
      return count;
    });
    return many ? deleted : deleted === 1;
  }

  /** The pairs selected by `options`, in UTF-8 key order (descending with `reverse`). */
  list(options: ListOptions = {}): Map<string, Uint8Array> {
    this.#open();
    return this.#kv.list(keyRange(options));
  }

  /** Deletes every key-value pair and every table, view and trigger `sql.exec` created; the alarm too unless `{ alarm: false }`. */
  deleteAll(options: DeleteAllOptions = {}): void {
    this.#open();
    const alarm = options.alarm ?? true;
    if (typeof alarm !== "boolean") throw new StorageError("invalid_option", `deleteAll() option alarm must be a boolean: received ${describe(alarm)}`);
    this.#write((ops) => this.#applyLocal(ops, { op: "deleteAll", alarm }));
  }

  /** The alarm time (ms since the epoch), or null. */
  getAlarm(): number | null {
    this.#open();
    return this.#kv.alarm();
  }

  /** Sets the alarm, replacing any; a time in the past is due at once. */
  setAlarm(time: number): void {
    this.#open();
    const at = alarmTime(time);
    this.#write((ops) => this.#applyLocal(ops, { op: "setAlarm", time: at }));
  }

  deleteAlarm(): void {
    this.#open();
    this.#write((ops) => {
      if (this.#kv.alarm() !== null) this.#applyLocal(ops, { op: "deleteAlarm" });
    });
  }

  /**
   * Applies `mutations` as one batch and one journal record: all or nothing.
   *
   * @throws StorageError naming the first bad mutation; nothing is written then.
   */
  commit(mutations: readonly Mutation[]): void {
    this.#open();
    const checked = checkMutations(mutations);
    this.#write((ops) => {
      for (const op of checked) this.#applyLocal(ops, op);
    });
  }

  /** A transaction with read-your-writes; its `commit()` applies its writes through `commit()` above. */
  transaction(): StorageTransaction {
    this.#open();
    return new StorageTransaction({
      get: (key) => this.#kv.get(key),
      list: (range) => this.#kv.list(range),
      alarm: () => this.#kv.alarm(),
      generation: () => this.#generation,
      commit: (mutations) => this.commit(mutations),
    });
  }

  /**
   * Runs `fn` (synchronous) in one SQLite transaction: every storage call it
   * makes, `sql.exec` included, commits together as one journal record, or
   * not at all if it throws. Nests.
   */
  transactionSync<T>(fn: () => T): T {
    this.#open();
    const outer = this.#unit;
    const unit: JournalOp[] = [];
    let seq = 0;
    this.#unit = unit;
    let result: T;
    try {
      result = this.#db.transaction(() => {
        const value = fn();
        if (outer === null && unit.length > 0) this.#kv.setSeq((seq = this.#kv.seq() + 1));
        return value;
      })();
    } finally {
      this.#unit = outer;
    }
    if (unit.length > 0) {
      if (outer !== null) outer.push(...unit);
      else {
        this.#generation++;
        this.#onCommit?.({ seq, bytes: encodeEntry({ seq, ops: unit }) });
      }
    }
    return result;
  }

  /**
   * Replays a journal record made by another copy. Answers false for a record
   * already applied (its sequence is not above `lastSeq`).
   *
   * @throws StorageError `journal_invalid`, `journal_gap` (records missing before it) or `journal_replay_failed`.
   */
  apply(record: Uint8Array): boolean {
    this.#open();
    this.#outsideTransaction("apply");
    const entry = decodeEntry(record);
    const last = this.#kv.seq();
    if (entry.seq <= last) return false;
    if (entry.seq !== last + 1) throw new StorageError("journal_gap", `journal record ${entry.seq} cannot follow ${last}: records ${last + 1} to ${entry.seq - 1} are missing`);
    try {
      this.#db.transaction(() => {
        for (const op of entry.ops) applyOp(this.#db, this.#kv, this.#sql, op);
        this.#kv.setSeq(entry.seq);
      })();
    } catch (cause) {
      throw new StorageError("journal_replay_failed", `journal record ${entry.seq} cannot be applied: ${(cause as Error).message}`, { cause });
    }
    this.#generation++;
    return true;
  }

  /** The whole database as bytes, `lastSeq` included. */
  snapshot(): Uint8Array {
    this.#open();
    this.#outsideTransaction("snapshot");
    return serialize(this.#db);
  }

  /**
   * Replaces the whole storage with a snapshot; records after its `lastSeq` can then be applied.
   *
   * @throws StorageError `snapshot_invalid`; the storage is unchanged then.
   */
  restore(snapshot: Uint8Array): void {
    this.#open();
    this.#outsideTransaction("restore");
    const restored = openSnapshot(snapshot);
    if (this.#file === ":memory:") {
      this.#db.close();
      this.#attach(restored);
    } else {
      let released = false;
      try {
        replaceFile(this.#file, restored, () => {
          this.#db.close();
          released = true;
        });
      } finally {
        // The restored file, or the old one if the new one could not be put in place.
        if (released) this.#attach(openDatabase(this.#file));
      }
    }
    this.#generation++;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }

  #exec(query: string, bindings: unknown[]): SqlCursor {
    this.#open();
    return this.#write((ops) => {
      const { cursor, ops: writes } = this.#sql.exec(query, bindings);
      ops.push(...writes);
      return cursor;
    });
  }

  /** Runs a write in its own nested transaction; its ops join the enclosing one or commit as a record. */
  #write<T>(fn: (ops: JournalOp[]) => T): T {
    return this.transactionSync(() => fn(this.#unit as JournalOp[]));
  }

  #applyLocal(ops: JournalOp[], op: JournalOp): void {
    applyOp(this.#db, this.#kv, this.#sql, op);
    ops.push(op);
  }

  #attach(db: Database.Database): void {
    this.#db = db;
    this.#kv = new KvTable(db);
    this.#sql = new SqlRunner(db);
    this.#size = db.prepare("SELECT page_count * page_size AS n FROM pragma_page_count(), pragma_page_size()");
  }

  #outsideTransaction(call: string): void {
    if (this.#unit !== null) throw new StorageError("transaction_open", `${call}() cannot run inside transactionSync()`);
  }

  #open(): void {
    if (this.#closed) throw new StorageError("closed", "storage is closed");
  }
}
