/**
 * @module The result of `sql.exec`, shaped like Workers' SqlStorageCursor:
 * rows as objects (iteration, `toArray()`, `one()`) or as arrays (`raw()`),
 * consumed once, with `columnNames`, `rowsRead` and `rowsWritten`. The rows
 * are read when the statement runs, so holding a cursor holds no lock.
 */
import { StorageError } from "./errors.js";
import type { SqlValue } from "./sql-values.js";

/** A row as an object keyed by column name (with duplicate names, the last column wins). */
export type SqlRow = Record<string, SqlValue>;

/** Rows as arrays, in column order; shares its position with the cursor it came from. */
export interface RawRows extends IterableIterator<SqlValue[]> {
  toArray(): SqlValue[][];
}

export class SqlCursor implements IterableIterator<SqlRow> {
  readonly #rows: SqlValue[][];
  #position = 0;

  /**
   * @param rowsRead rows returned by the query's statements (an approximation: SQLite's own count of rows scanned is not exposed)
   * @param rowsWritten rows inserted, updated or deleted, triggers included
   */
  constructor(
    readonly columnNames: string[],
    rows: SqlValue[][],
    readonly rowsRead: number,
    readonly rowsWritten: number,
  ) {
    this.#rows = rows;
  }

  next(): IteratorResult<SqlRow> {
    const row = this.#take();
    return row ? { done: false, value: this.#object(row) } : { done: true, value: undefined };
  }

  [Symbol.iterator](): this {
    return this;
  }

  /** The rows not read yet, as objects. */
  toArray(): SqlRow[] {
    return this.#rest().map((row) => this.#object(row));
  }

  /**
   * The one row left.
   *
   * @throws StorageError `sql_no_single_row` when there is none or more than one.
   */
  one(): SqlRow {
    const rest = this.#rest();
    if (rest.length !== 1) {
      throw new StorageError("sql_no_single_row", `expected exactly one row from the query, but got ${rest.length === 0 ? "none" : rest.length}`);
    }
    return this.#object(rest[0]);
  }

  /** The rows as arrays of values, in column order. */
  raw(): RawRows {
    const rows: RawRows = {
      next: (): IteratorResult<SqlValue[]> => {
        const row = this.#take();
        return row ? { done: false, value: row } : { done: true, value: undefined };
      },
      toArray: () => this.#rest(),
      [Symbol.iterator]: () => rows,
    };
    return rows;
  }

  #take(): SqlValue[] | undefined {
    return this.#rows[this.#position] === undefined ? undefined : this.#rows[this.#position++];
  }

  #rest(): SqlValue[][] {
    const rest = this.#rows.slice(this.#position);
    this.#position = this.#rows.length;
    return rest;
  }

  #object(row: SqlValue[]): SqlRow {
    const object: SqlRow = {};
    this.columnNames.forEach((name, i) => (object[name] = row[i]));
    return object;
  }
}
