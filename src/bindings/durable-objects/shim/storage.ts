/**
 * @module `ctx.storage` in the isolate: the Workers storage API over the
 * host's `ObjectStorage`. Calls are synchronous ops under their promise: a
 * storage call completes within the entry that makes it, so no other event
 * can be delivered to the object while one is pending (the input gate), and
 * the host holds the object's answer until its writes are journaled (the
 * output gate). Values are structured-cloned by the bridge.
 */
import { opAsync, opSync } from "../../../runtime/prelude/core/bridge.js";
import type { StorageVerb, WireSqlResult } from "../wire.js";

const OP = "durable_object.storage";
/** Workers retries a conflicting transaction; this many tries, then the conflict reaches the caller. */
const MAX_TRANSACTION_TRIES = 10;

type Call = (verb: StorageVerb, ...args: unknown[]) => unknown;

function toTime(value: unknown): unknown {
  return value instanceof Date ? value.getTime() : value;
}

/** The reads and writes shared by storage and its transactions. */
class StorageCalls {
  readonly #call: Call;
  constructor(call: Call) {
    this.#call = call;
  }
  get(keyOrKeys: unknown, _options?: unknown): Promise<unknown> {
    return this.#run(() => (Array.isArray(keyOrKeys) ? this.#call("getMany", keyOrKeys) : (this.#call("get", keyOrKeys) ?? undefined)));
  }
  put(keyOrEntries: unknown, value?: unknown, _options?: unknown): Promise<void> {
    return this.#run(() => {
      if (typeof keyOrEntries === "object" && keyOrEntries !== null) this.#call("putMany", keyOrEntries);
      else this.#call("put", keyOrEntries, value);
    }) as Promise<void>;
  }
  delete(keyOrKeys: unknown, _options?: unknown): Promise<unknown> {
    return this.#run(() => this.#call(Array.isArray(keyOrKeys) ? "deleteMany" : "delete", keyOrKeys));
  }
  list(options: unknown = {}): Promise<unknown> {
    return this.#run(() => this.#call("list", options));
  }
  getAlarm(_options?: unknown): Promise<number | null> {
    return this.#run(() => this.#call("getAlarm")) as Promise<number | null>;
  }
  setAlarm(time: unknown, _options?: unknown): Promise<void> {
    return this.#run(() => this.#call("setAlarm", toTime(time))) as Promise<void>;
  }
  deleteAlarm(_options?: unknown): Promise<void> {
    return this.#run(() => this.#call("deleteAlarm")) as Promise<void>;
  }
  #run(fn: () => unknown): Promise<unknown> {
    try {
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

/** The transaction a `transaction(closure)` closure receives. */
class DurableObjectTransaction extends StorageCalls {
  #rolledBack = false;
  readonly #end: () => void;
  constructor(call: Call, txId: number, end: () => void) {
    super((verb, ...args) => call("txCall", txId, verb, args));
    this.#end = end;
  }
  rollback(): void {
    if (this.#rolledBack) return;
    this.#rolledBack = true;
    this.#end();
  }
  get rolledBack(): boolean {
    return this.#rolledBack;
  }
}

/** The cursor of `sql.exec`: the host answered the whole result at once. */
class SqlStorageCursor {
  readonly columnNames: string[];
  readonly rowsRead: number;
  readonly rowsWritten: number;
  readonly #rows: unknown[][];
  #at = 0;
  constructor(result: WireSqlResult) {
    this.columnNames = result.columnNames;
    this.rowsRead = result.rowsRead;
    this.rowsWritten = result.rowsWritten;
    this.#rows = result.rows;
  }
  #object(row: unknown[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.columnNames.forEach((name, i) => (out[name] = row[i]));
    return out;
  }
  next(): IteratorResult<Record<string, unknown>> {
    if (this.#at >= this.#rows.length) return { done: true, value: undefined };
    return { done: false, value: this.#object(this.#rows[this.#at++]) };
  }
  toArray(): Record<string, unknown>[] {
    const rest = this.#rows.slice(this.#at).map((row) => this.#object(row));
    this.#at = this.#rows.length;
    return rest;
  }
  one(): Record<string, unknown> {
    const rest = this.#rows.length - this.#at;
    if (rest !== 1) throw new Error(`Expected exactly one row from the query, but got ${rest}`);
    return this.#object(this.#rows[this.#at++]);
  }
  /** The rows left as arrays; it shares the cursor's position. */
  raw(): IterableIterator<unknown[]> & { toArray(): unknown[][] } {
    const iterator = {
      next: (): IteratorResult<unknown[]> => (this.#at < this.#rows.length ? { done: false, value: this.#rows[this.#at++] } : { done: true, value: undefined }),
      toArray: (): unknown[][] => {
        const rest = this.#rows.slice(this.#at);
        this.#at = this.#rows.length;
        return rest;
      },
      [Symbol.iterator]: () => iterator,
    };
    return iterator;
  }

  [Symbol.iterator](): this {
    return this;
  }
}

class SqlStorage {
  readonly #call: Call;
  constructor(call: Call) {
    this.#call = call;
  }
  exec(query: unknown, ...bindings: unknown[]): SqlStorageCursor {
    return new SqlStorageCursor(this.#call("sql", query, bindings) as WireSqlResult);
  }
  get databaseSize(): number {
    return this.#call("databaseSize") as number;
  }
}

/** `ctx.storage` of one object. */
export class DurableObjectStorage extends StorageCalls {
  readonly #call: Call;
  readonly #objectKey: string;
  readonly sql: SqlStorage;
  constructor(objectKey: string) {
    const call: Call = (verb, ...args) => opSync(OP, objectKey, verb, args);
    super(call);
    this.#call = call;
    this.#objectKey = objectKey;
    this.sql = new SqlStorage(call);
  }
  deleteAll(options?: unknown): Promise<void> {
    try {
      this.#call("deleteAll", options ?? {});
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }
  /** Resolves once every write made so far is durable. */
  async sync(): Promise<void> {
    await opAsync(OP, this.#objectKey, "sync", []);
  }
  /**
   * Runs `closure` in a transaction that sees its own writes and commits them
   * all or none. A transaction that conflicts with a write made meanwhile
   * (its closure awaited something other than storage) runs again.
   */
  async transaction<T>(closure: (txn: DurableObjectTransaction) => T | Promise<T>): Promise<T> {
    if (typeof closure !== "function") throw new TypeError("transaction() takes a function: received " + typeof closure);
    for (let attempt = 1; ; attempt++) {
      const txId = this.#call("txBegin") as number;
      let open = true;
      const end = () => {
        if (open) this.#call("txRollback", txId);
        open = false;
      };
      const txn = new DurableObjectTransaction(this.#call, txId, end);
      let result: T;
      try {
        result = await closure(txn);
      } catch (error) {
        end();
        throw error;
      }
      if (txn.rolledBack) return result;
      try {
        this.#call("txCommit", txId);
        open = false;
        return result;
      } catch (error) {
        open = false;
        if (attempt >= MAX_TRANSACTION_TRIES || !(error instanceof Error && error.message.includes("transaction_conflict"))) throw error;
      }
    }
  }
  transactionSync(): never {
    throw new Error("transactionSync() is not supported yet by Verge; use transaction() or a single sql.exec() with several statements");
  }
}
