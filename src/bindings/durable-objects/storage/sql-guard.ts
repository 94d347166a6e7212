/**
 * @module The checks `sql.exec` makes before a statement runs, so a worker's
 * SQL cannot reach the internal tables, escape the journal or diverge on
 * replay: names starting with `_verge_` are refused, as are statements that
 * manage transactions or attach files, PRAGMAs outside a read-only list,
 * temporary objects, and (in write statements, checked once prepared)
 * functions whose result differs from one run to the next.
 */
import { StorageError } from "./errors.js";
import { DoStorageLimits, quote } from "./limits.js";
import { RESERVED_PREFIX } from "./schema.js";
import type { SqlStatement, Token } from "./sql-lexer.js";

/** Statements refused as their first word: Workers manages transactions itself, and files stay private. */
const REFUSED_FIRST_WORDS = new Set(["ATTACH", "DETACH", "BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE", "VACUUM"]);

/** PRAGMAs that only read, allowed with a table or index name as argument. */
const INTROSPECTION_PRAGMAS = new Set(["table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo", "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check"]);
/** Settings a worker may read but never change (`PRAGMA foreign_keys` alone). */
const READABLE_PRAGMAS = new Set(["foreign_keys", "page_count", "page_size", "freelist_count", "schema_version", "user_version"]);

/** Functions whose result is not fixed by the database and the statement. */
const NONDETERMINISTIC_FUNCTIONS = new Set(["RANDOM", "RANDOMBLOB", "CHANGES", "TOTAL_CHANGES", "LAST_INSERT_ROWID"]);
const NONDETERMINISTIC_WORDS = new Set(["CURRENT_TIME", "CURRENT_DATE", "CURRENT_TIMESTAMP"]);
/** Date functions: nondeterministic with 'now', or with no argument (which means 'now'). */
const DATE_FUNCTIONS = new Set(["DATE", "TIME", "DATETIME", "JULIANDAY", "UNIXEPOCH", "STRFTIME", "TIMEDIFF"]);

const upper = (t: Token | undefined) => (t?.kind === "word" ? t.value.toUpperCase() : "");
const isPunct = (t: Token | undefined, value: string) => t?.kind === "punct" && t.value === value;

/**
 * Refuses a statement that names an internal table, manages transactions,
 * attaches a file, changes a PRAGMA, creates a temporary object, loads an
 * extension or uses named parameters.
 *
 * @throws StorageError `sql_reserved_name`, `sql_not_allowed` or `sql_bindings`.
 */
export function checkStatement(statement: SqlStatement): void {
  const { tokens } = statement;
  for (const token of tokens) {
    if ((token.kind === "word" || token.kind === "ident" || token.kind === "string") && token.value.trimStart().toLowerCase().startsWith(RESERVED_PREFIX)) {
      throw new StorageError("sql_reserved_name", `${quote(token.value)} is reserved: names starting with ${RESERVED_PREFIX} belong to the storage's internal tables and cannot be used in sql.exec`);
    }
    if (token.kind === "param" && token.value[0] !== "?") {
      throw new StorageError("sql_bindings", `named parameter ${token.value} is not supported: use ? or ?NNN`);
    }
  }
  let first = 0;
  if (upper(tokens[0]) === "EXPLAIN") first = upper(tokens[1]) === "QUERY" ? 3 : 1;
  const word = upper(tokens[first]);
  if (REFUSED_FIRST_WORDS.has(word)) {
    const why = word === "ATTACH" || word === "DETACH" || word === "VACUUM" ? "an object's storage is one database" : "use transactionSync() or transaction(); sql.exec cannot manage transactions";
    throw new StorageError("sql_not_allowed", `${word} is not allowed in sql.exec: ${why}`);
  }
  if (word === "PRAGMA") checkPragma(tokens.slice(first + 1));
  tokens.forEach((token, i) => {
    const w = upper(token);
    if (w === "CREATE" && (upper(tokens[i + 1]) === "TEMP" || upper(tokens[i + 1]) === "TEMPORARY")) throw notDurable();
    if ((token.kind === "word" || token.kind === "ident") && token.value.toLowerCase() === "temp" && isPunct(tokens[i + 1], ".")) throw notDurable();
    if (w === "LOAD_EXTENSION") throw new StorageError("sql_not_allowed", "load_extension() is not allowed in sql.exec");
  });
}

/**
 * The reason a write statement would give another result when replayed, or null.
 * A statement is checked once SQLite says it writes.
 */
export function nondeterminism(statement: SqlStatement, bindings: readonly unknown[]): string | null {
  const { tokens } = statement;
  const now = tokens.some((t) => t.kind === "string" && t.value.trim().toLowerCase() === "now") || bindings.some((b) => typeof b === "string" && b.trim().toLowerCase() === "now");
  for (let i = 0; i < tokens.length; i++) {
    const word = upper(tokens[i]);
    const call = isPunct(tokens[i + 1], "(");
    if (NONDETERMINISTIC_WORDS.has(word)) return `${word} is the time of the run`;
    if (call && NONDETERMINISTIC_FUNCTIONS.has(word)) return `${word.toLowerCase()}() differs from one run to the next`;
    if (call && DATE_FUNCTIONS.has(word) && (now || isPunct(tokens[i + 2], ")"))) return `${word.toLowerCase()}() of 'now' is the time of the run`;
  }
  return null;
}

/** @throws StorageError `sql_nondeterministic` when a write statement has a nondeterministic part. */
export function checkDeterministic(statement: SqlStatement, bindings: readonly unknown[]): void {
  const reason = nondeterminism(statement, bindings);
  if (reason !== null) {
    throw new StorageError("sql_nondeterministic", `a write statement cannot use this: ${reason}, so a copy rebuilt from the journal would differ; compute the value in the worker and bind it`);
  }
}

/**
 * The statement's text with `?NNN` parameters renumbered as plain `?`, and the
 * bindings in that order (better-sqlite3 binds positional values to `?` only).
 *
 * @throws StorageError `sql_bindings` when the count does not match or is over the limit.
 */
export function bindParameters<T>(sql: string, statement: SqlStatement, bindings: readonly T[]): { text: string; bindings: T[] } {
  const params = statement.tokens.filter((t) => t.kind === "param");
  // SQLite numbers a bare ? one past the highest index so far; ?NNN is index NNN.
  let highest = 0;
  const order = params.map((t) => {
    const index = t.value.length > 1 ? Number(t.value.slice(1)) : highest + 1;
    if (index < 1) throw new StorageError("sql_bindings", `parameter ${t.value} is not valid: numbered parameters start at ?1`);
    highest = Math.max(highest, index);
    return index;
  });
  const indexes = highest;
  if (indexes > DoStorageLimits.MAX_SQL_BINDINGS) {
    throw new StorageError("sql_bindings", `statement has ${indexes} parameters, over the limit of ${DoStorageLimits.MAX_SQL_BINDINGS}`);
  }
  if (bindings.length !== indexes) {
    throw new StorageError("sql_bindings", `statement has ${indexes} parameters but ${bindings.length} values were bound`);
  }
  const text = sql.slice(statement.start, statement.end);
  if (params.every((t) => t.value === "?")) return { text, bindings: [...bindings] };
  let rewritten = "";
  let at = statement.start;
  for (const t of params) {
    rewritten += `${sql.slice(at, t.start)}?`;
    at = t.end;
  }
  return { text: rewritten + sql.slice(at, statement.end), bindings: order.map((index) => bindings[index - 1]) };
}

function checkPragma(rest: Token[]): void {
  let name = rest[0]?.value.toLowerCase() ?? "";
  let args = rest.slice(1);
  if (isPunct(rest[1], ".")) {
    if (name !== "main") throw new StorageError("sql_not_allowed", `PRAGMA on schema ${quote(rest[0].value)} is not allowed: an object's storage is one database`);
    name = rest[2]?.value.toLowerCase() ?? "";
    args = rest.slice(3);
  }
  const reads = INTROSPECTION_PRAGMAS.has(name) ? !args.some((t) => isPunct(t, "=")) : READABLE_PRAGMAS.has(name) && args.length === 0;
  if (!reads) {
    throw new StorageError("sql_not_allowed", `PRAGMA ${name} is not allowed in sql.exec: only reading ${[...INTROSPECTION_PRAGMAS, ...READABLE_PRAGMAS].join(", ")}`);
  }
}

function notDurable(): StorageError {
  return new StorageError("sql_not_allowed", "temporary tables, views and triggers are not allowed in sql.exec: they would not be durable; create them in the main schema");
}
