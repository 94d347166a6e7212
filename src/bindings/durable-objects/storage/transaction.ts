/**
 * @module An open transaction, as `transaction(closure)` gives the closure in
 * Workers: reads see the transaction's own writes, writes are held back until
 * `commit()` applies them as one batch, all or nothing. Optimistic: a
 * transaction that read something fails with `transaction_conflict` if
 * another change was committed since it began (the caller runs the closure
 * again); one that only wrote never conflicts.
 */
import type { CheckedKey } from "./kv-args.js";
import { checkedEntries, checkedKey, checkedKeys } from "./kv-args.js";
import type { JournalOp } from "./journal.js";
import { StorageError } from "./errors.js";
import { alarmTime } from "./limits.js";
import type { KeyRange, ListOptions } from "./list.js";
import { inRange, keyRange } from "./list.js";

/** A write of a batch: what `commit()` takes. */
export type Mutation = Extract<JournalOp, { op: "put" | "delete" | "setAlarm" | "deleteAlarm" }>;

/** What a transaction reads from and commits to (the storage, as committed). */
export interface TransactionBase {
  get(key: Buffer): Uint8Array | null;
  list(range: KeyRange): Map<string, Uint8Array>;
  alarm(): number | null;
  /** A number that changes with every committed change. */
  generation(): number;
  commit(mutations: Mutation[]): void;
}

interface Pending extends CheckedKey {
  /** null: deleted in this transaction. */
  value: Uint8Array | null;
}

export class StorageTransaction {
  readonly #base: TransactionBase;
  readonly #generation: number;
  readonly #pending = new Map<string, Pending>();
  #alarm: { time: number | null } | null = null;
  #read = false;
  #state: "open" | "committed" | "rolled back" = "open";

  constructor(base: TransactionBase) {
    this.#base = base;
    this.#generation = base.generation();
  }

  get(key: string): Uint8Array | null;
  get(keys: readonly string[]): Map<string, Uint8Array>;
  get(keyOrKeys: unknown): Uint8Array | null | Map<string, Uint8Array> {
    this.#open();
    this.#read = true;
    if (!Array.isArray(keyOrKeys)) return this.#get(checkedKey(keyOrKeys));
    const found = new Map<string, Uint8Array>();
    for (const key of checkedKeys(keyOrKeys, "get")) {
      const value = this.#get(key);
      if (value !== null) found.set(key.key, value);
    }
    return found;
  }

  put(key: string, value: Uint8Array): void;
  put(entries: Record<string, Uint8Array> | Map<string, Uint8Array>): void;
  put(keyOrEntries: unknown, value?: unknown): void {
    this.#open();
    for (const entry of checkedEntries(keyOrEntries, value)) this.#pending.set(entry.key, entry);
  }

  delete(key: string): boolean;
  delete(keys: readonly string[]): number;
  delete(keyOrKeys: unknown): boolean | number {
    this.#open();
    this.#read = true; // the answer says whether keys existed
    const keys = Array.isArray(keyOrKeys) ? checkedKeys(keyOrKeys, "delete") : [checkedKey(keyOrKeys)];
    let deleted = 0;
    for (const key of keys) {
      if (this.#get(key) !== null) deleted++;
      this.#pending.set(key.key, { ...key, value: null });
    }
    return Array.isArray(keyOrKeys) ? deleted : deleted === 1;
  }

  /** The committed pairs of the range with this transaction's writes over them, in order. */
  list(options: ListOptions = {}): Map<string, Uint8Array> {
    this.#open();
    this.#read = true;
    const range = keyRange(options);
    const pending = [...this.#pending.values()].filter((p) => inRange(p.bytes, range));
    // Each pending write hides or replaces at most one committed key, so this many committed keys are enough.
    const base = this.#base.list(range.limit === -1 ? range : { ...range, limit: range.limit + pending.length });
    const merged = new Map<string, Pending>();
    for (const [key, value] of base) merged.set(key, { key, bytes: Buffer.from(key, "utf8"), value });
    for (const p of pending) {
      if (p.value === null) merged.delete(p.key);
      else merged.set(p.key, p);
    }
    const sorted = [...merged.values()].sort((a, b) => (range.reverse ? -1 : 1) * Buffer.compare(a.bytes, b.bytes));
    const limited = range.limit === -1 ? sorted : sorted.slice(0, range.limit);
    return new Map(limited.map((p) => [p.key, p.value as Uint8Array]));
  }

  getAlarm(): number | null {
    this.#open();
    this.#read = true;
    return this.#alarm ? this.#alarm.time : this.#base.alarm();
  }

  setAlarm(time: number): void {
    this.#open();
    this.#alarm = { time: alarmTime(time) };
  }

  deleteAlarm(): void {
    this.#open();
    this.#alarm = { time: null };
  }

  /** Drops every write of the transaction; later calls fail with `transaction_closed`. */
  rollback(): void {
    this.#open();
    this.#state = "rolled back";
  }

  /** The writes `commit()` would apply, net of overwrites. */
  get mutations(): Mutation[] {
    const mutations: Mutation[] = [...this.#pending.values()].map((p) => (p.value === null ? { op: "delete", key: p.key } : { op: "put", key: p.key, value: p.value }));
    if (this.#alarm) mutations.push(this.#alarm.time === null ? { op: "deleteAlarm" } : { op: "setAlarm", time: this.#alarm.time });
    return mutations;
  }

  /**
   * Applies the writes as one batch (one journal record). The transaction is closed afterwards, committed or not.
   *
   * @throws StorageError `transaction_conflict` when it read and another change was committed since it began.
   */
  commit(): void {
    this.#open();
    this.#state = "committed";
    const mutations = this.mutations;
    if (mutations.length === 0) return;
    if (this.#read && this.#base.generation() !== this.#generation) {
      throw new StorageError("transaction_conflict", "transaction read keys that changed before it committed: run it again");
    }
    this.#base.commit(mutations);
  }

  #get(key: CheckedKey): Uint8Array | null {
    const pending = this.#pending.get(key.key);
    return pending ? pending.value : this.#base.get(key.bytes);
  }

  #open(): void {
    if (this.#state !== "open") throw new StorageError("transaction_closed", `transaction was already ${this.#state}`);
  }
}
