/**
 * @module One namespace's local replica at a PoP: a SQLite table of entries
 * (deletions and expired keys kept as tombstones so that last writer wins by
 * (timestamp, pop) whatever order mutations arrive in) and the stream
 * sequence applied so far.
 */
import Database from "better-sqlite3";
import type { KvMutation } from "./codec.js";

export interface KvEntry {
  value: Uint8Array;
  metadata: string | null;
  expiration: number | null;
}

export interface KvListed {
  name: string;
  expiration: number | null;
  metadata: string | null;
}

interface Row {
  key: string;
  value: Uint8Array | null;
  metadata: string | null;
  expiration: number | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value BLOB, metadata TEXT, expiration REAL, ts REAL NOT NULL, pop TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS applied (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL);
INSERT OR IGNORE INTO applied (id, seq) VALUES (1, 0);`;

const nowSeconds = () => Date.now() / 1000;

export class KvReplica {
  readonly #db: Database.Database;
  readonly #get: Database.Statement;
  readonly #version: Database.Statement;
  readonly #upsert: Database.Statement;
  readonly #setSeq: Database.Statement;
  readonly #list: Database.Statement;
  readonly #expire: Database.Statement;
  readonly #apply: (m: KvMutation, seq: number | null) => boolean;
  #lastPurge = 0;

  /** `file`: a SQLite file, or ":memory:". */
  constructor(file: string) {
    this.#db = new Database(file);
    this.#db.pragma("journal_mode = WAL");
    this.#db.exec(SCHEMA);
    this.#get = this.#db.prepare("SELECT key, value, metadata, expiration FROM entries WHERE key = ?");
    this.#version = this.#db.prepare("SELECT ts, pop FROM entries WHERE key = ?");
    this.#upsert = this.#db.prepare("INSERT OR REPLACE INTO entries (key, value, metadata, expiration, ts, pop) VALUES (?, ?, ?, ?, ?, ?)");
    this.#setSeq = this.#db.prepare("UPDATE applied SET seq = ? WHERE id = 1 AND seq < ?");
    this.#list = this.#db.prepare(
      `SELECT key, metadata, expiration FROM entries WHERE value IS NOT NULL AND (expiration IS NULL OR expiration > @now)
       AND key > @after AND substr(key, 1, length(@prefix)) = @prefix ORDER BY key LIMIT @limit`,
    );
    this.#expire = this.#db.prepare("UPDATE entries SET value = NULL, metadata = NULL WHERE value IS NOT NULL AND expiration <= ?");
    this.#apply = this.#db.transaction((m: KvMutation, seq: number | null): boolean => {
      if (seq !== null) this.#setSeq.run(seq, seq);
      const current = this.#version.get(m.key) as { ts: number; pop: string } | undefined;
      if (current && (current.ts > m.ts || (current.ts === m.ts && current.pop >= m.pop))) return false;
      const put = m.kind === "put";
      const value = put ? Buffer.from(m.value.buffer, m.value.byteOffset, m.value.byteLength) : null;
      this.#upsert.run(m.key, value, put ? m.metadata : null, put ? m.expiration : null, m.ts, m.pop);
      return true;
    });
  }

  /** The last stream sequence applied (0: none). */
  get appliedSeq(): number {
    return (this.#db.prepare("SELECT seq FROM applied WHERE id = 1").get() as { seq: number }).seq;
  }

  /** Applies a mutation unless a newer write of its key is here; `seq` when it came from the stream. */
  apply(m: KvMutation, seq: number | null): boolean {
    return this.#apply(m, seq);
  }

  /** Records that stream record `seq` was seen though it could not be applied (an unreadable record). */
  markApplied(seq: number): void {
    this.#setSeq.run(seq, seq);
  }

  /** The live entry of `key`, or null (absent, deleted or expired; an expired one is purged). */
  get(key: string): KvEntry | null {
    const row = this.#get.get(key) as Row | undefined;
    if (!row || row.value === null) return null;
    if (row.expiration !== null && row.expiration <= nowSeconds()) {
      this.#expire.run(nowSeconds());
      return null;
    }
    return { value: row.value, metadata: row.metadata, expiration: row.expiration };
  }

  /** Up to `limit` live keys starting with `prefix` after `after`, in UTF-8 byte order, and whether more follow. */
  list(prefix: string, after: string, limit: number): { keys: KvListed[]; complete: boolean } {
    const now = nowSeconds();
    if (now - this.#lastPurge >= 1) {
      this.#lastPurge = now;
      this.#expire.run(now);
    }
    const rows = this.#list.all({ now, after, prefix, limit: limit + 1 }) as Row[];
    const keys = rows.slice(0, limit).map((row) => ({ name: row.key, expiration: row.expiration, metadata: row.metadata }));
    return { keys, complete: rows.length <= limit };
  }

  close(): void {
    this.#db.close();
  }
}
