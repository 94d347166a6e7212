/**
 * @module One namespace's local replica at a PoP: a SQLite table of entries
 * (deletions and expired keys kept as tombstones so that last writer wins by
 * (timestamp, pop) whatever order mutations arrive in) and the stream
 * sequence applied so far.
 *
 * Tombstones are collected once they are older than a horizon (24 h by
 * default) behind the newest write seen: a mutation that old can no longer be
 * in flight, so one arriving later would win over the tombstone anyway. The
 * horizon is measured from the newest write seen, not the wall clock, so a
 * replica replaying an old stream keeps the tombstones it still needs.
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
INSERT OR IGNORE INTO applied (id, seq) VALUES (1, 0);
CREATE INDEX IF NOT EXISTS tombstones ON entries (ts) WHERE value IS NULL;
CREATE INDEX IF NOT EXISTS expiring ON entries (expiration) WHERE value IS NOT NULL AND expiration IS NOT NULL;`;

const nowSeconds = () => Date.now() / 1000;

/** How far behind the newest write a tombstone is kept: well past any mutation still in flight. */
export const TOMBSTONE_HORIZON_MS = 24 * 60 * 60 * 1000;
/** Collection runs at most this often, on a write or a listing. */
const COLLECT_EVERY_MS = 60_000;

/** Options of a replica. */
export interface KvReplicaOptions {
  /** Tombstones older than this behind the newest write are dropped. Default `TOMBSTONE_HORIZON_MS`. */
  tombstoneHorizonMs?: number;
}

export class KvReplica {
  readonly #db: Database.Database;
  readonly #get: Database.Statement;
  readonly #version: Database.Statement;
  readonly #upsert: Database.Statement;
  readonly #setSeq: Database.Statement;
  readonly #list: Database.Statement;
  readonly #expire: Database.Statement;
  readonly #dropTombstones: Database.Statement;
  readonly #apply: (m: KvMutation, seq: number | null) => boolean;
  readonly #horizonMs: number;
  #lastPurge = 0;
  #lastCollect = Date.now();
  /** The newest write timestamp seen (ms), the reference of the tombstone horizon. */
  #newest: number;

  /** `file`: a SQLite file, or ":memory:". */
  constructor(file: string, options: KvReplicaOptions = {}) {
    this.#horizonMs = options.tombstoneHorizonMs ?? TOMBSTONE_HORIZON_MS;
    this.#db = new Database(file);
    this.#db.pragma("journal_mode = WAL");
    this.#db.exec(SCHEMA);
    this.#newest = (this.#db.prepare("SELECT max(ts) AS ts FROM entries").get() as { ts: number | null }).ts ?? 0;
    this.#dropTombstones = this.#db.prepare("DELETE FROM entries WHERE value IS NULL AND ts < ?");
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
      this.#newest = Math.max(this.#newest, m.ts);
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
    const applied = this.#apply(m, seq);
    this.#collectNow();
    return applied;
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
    this.#collectNow();
    const rows = this.#list.all({ now, after, prefix, limit: limit + 1 }) as Row[];
    const keys = rows.slice(0, limit).map((row) => ({ name: row.key, expiration: row.expiration, metadata: row.metadata }));
    return { keys, complete: rows.length <= limit };
  }

  /** How many tombstones (deleted or expired keys) the replica keeps. */
  get tombstones(): number {
    return (this.#db.prepare("SELECT count(*) AS n FROM entries WHERE value IS NULL").get() as { n: number }).n;
  }

  /**
   * Turns expired entries into tombstones and drops the tombstones older than
   * the horizon behind the newest write seen (or behind `nowMs`, if that is
   * earlier: a writer's clock running ahead collects nothing early).
   * Answers how many were dropped. Runs by itself at most once a minute.
   */
  collect(nowMs = Date.now()): number {
    this.#lastCollect = nowMs;
    this.#expire.run(nowMs / 1000);
    return this.#dropTombstones.run(Math.min(nowMs, this.#newest) - this.#horizonMs).changes;
  }

  #collectNow(): void {
    if (Date.now() - this.#lastCollect >= COLLECT_EVERY_MS) this.collect();
  }

  close(): void {
    this.#db.close();
  }
}
