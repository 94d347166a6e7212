/**
 * @module `sql.exec` on the host: checks a query, runs its statements in
 * order (only the last one may have parameters and gives the rows, as in
 * Workers) and answers the cursor and the journal ops of its write
 * statements. Callers run it inside a SQLite transaction, so a failing
 * statement takes the earlier ones back with it.
 */
import type Database from "better-sqlite3";
import { StorageError } from "./errors.js";
import type { JournalOp } from "./journal.js";
import { DoStorageLimits, describe } from "./limits.js";
import { SqlCursor } from "./sql-cursor.js";
import { bindParameters, checkDeterministic, checkStatement } from "./sql-guard.js";
import { splitStatements, tokenize } from "./sql-lexer.js";
import { bindable, checkBindings, rowValues } from "./sql-values.js";
import { prepare } from "./sqlite.js";
import type { SqlValue } from "./sql-values.js";

/** A cursor and the write statements to journal. */
export interface SqlExecution {
  cursor: SqlCursor;
  ops: JournalOp[];
}

export class SqlRunner {
  readonly #db: Database.Database;
  readonly #totalChanges: Database.Statement;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#totalChanges = db.prepare("SELECT total_changes() AS n");
  }

  /**
   * Runs `query` with `bindings` for its last statement.
   *
   * @throws StorageError with a `sql_*` code; SQLite's own errors are `sql_error` with the SQLite error as cause.
   */
  exec(query: unknown, bindings: readonly unknown[]): SqlExecution {
    if (typeof query !== "string") throw new StorageError("sql_error", `query must be a string: received ${describe(query)}`);
    const size = Buffer.byteLength(query, "utf8");
    if (size > DoStorageLimits.MAX_SQL_BYTES) throw new StorageError("sql_too_large", `query is ${size} bytes, over the limit of ${DoStorageLimits.MAX_SQL_BYTES}`);
    const values = checkBindings(bindings);
    const statements = splitStatements(tokenize(query));
    if (statements.length === 0) throw new StorageError("sql_error", "query has no statement");
    statements.forEach((statement, i) => {
      checkStatement(statement);
      if (i < statements.length - 1 && statement.tokens.some((t) => t.kind === "param")) {
        throw new StorageError("sql_bindings", `only the last statement of a query can have parameters: statement ${i + 1} of ${statements.length} has some`);
      }
    });
    const ops: JournalOp[] = [];
    let rowsRead = 0;
    let rowsWritten = 0;
    let columnNames: string[] = [];
    let rows: SqlValue[][] = [];
    statements.forEach((statement, i) => {
      const last = i === statements.length - 1;
      const bound = last ? bindParameters(query, statement, values) : { text: query.slice(statement.start, statement.end), bindings: [] as SqlValue[] };
      const prepared = sqlite(() => prepare(this.#db, bound.text));
      if (!prepared.readonly) checkDeterministic(statement, bound.bindings);
      const before = prepared.readonly ? 0 : this.#changes();
      const params = bindable(bound.bindings);
      const result = sqlite((): unknown[][] => {
        if (prepared.reader) return prepared.raw(true).all(...params) as unknown[][];
        prepared.run(...params);
        return [];
      });
      rowsRead += result.length;
      if (!prepared.readonly) {
        rowsWritten += this.#changes() - before;
        ops.push({ op: "sql", query: bound.text, bindings: bound.bindings });
      }
      if (last) {
        columnNames = prepared.reader ? prepared.columns().map((c) => c.name) : [];
        rows = result.map(rowValues);
      }
    });
    return { cursor: new SqlCursor(columnNames, rows, rowsRead, rowsWritten), ops };
  }

  /** Replays one journaled write statement, as it ran. */
  replay(query: string, bindings: SqlValue[]): void {
    const prepared = prepare(this.#db, query);
    if (prepared.reader) prepared.raw(true).all(...bindable(bindings));
    else prepared.run(...bindable(bindings));
  }

  #changes(): number {
    return (this.#totalChanges.get() as { n: number }).n;
  }
}

/** Runs a call into SQLite, its errors as `sql_error` (or `sql_bindings` for a binding count better-sqlite3 refuses). */
function sqlite<T>(run: () => T): T {
  try {
    return run();
  } catch (cause) {
    if (cause instanceof StorageError) throw cause;
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new StorageError(cause instanceof RangeError ? "sql_bindings" : "sql_error", `SQLite: ${message}`, { cause });
  }
}
