/**
 * @module A SQLite tokenizer just deep enough to check statements before they
 * run: words, quoted identifiers, string and blob literals, numbers,
 * parameters and punctuation, with comments and spaces skipped; and the split
 * of a query into statements at top-level semicolons (not those inside a
 * trigger body or a CASE expression).
 */
import { StorageError } from "./errors.js";

export type TokenKind = "word" | "ident" | "string" | "blob" | "number" | "param" | "punct";

export interface Token {
  kind: TokenKind;
  /** Words as written; identifiers and strings unquoted; parameters and punctuation as written. */
  value: string;
  start: number;
  end: number;
}

/** One statement of a query: its tokens and where it sits in the query text. */
export interface SqlStatement {
  tokens: Token[];
  start: number;
  end: number;
}

const isWordStart = (c: string) => /[A-Za-z_]/.test(c) || c > "\x7f";
const isWordPart = (c: string) => /[A-Za-z0-9_$]/.test(c) || c > "\x7f";
const NUMBER = /^(?:0[xX][0-9a-fA-F_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?)/;
const CLOSERS: Record<string, string> = { "'": "'", '"': '"', "`": "`", "[": "]" };

/**
 * The tokens of `sql`.
 *
 * @throws StorageError `sql_error` for an unterminated literal or identifier.
 * @example tokenize("SELECT 'a'") // [{ kind: "word", value: "SELECT", … }, { kind: "string", value: "a", … }]
 */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    const start = i;
    if (c === " " || c === "\t" || c === "\n" || c === "\f" || c === "\r") i++; // SQLite's spaces; other characters above 0x7f are identifier characters
    else if (c === "-" && sql[i + 1] === "-") i = lineEnd(sql, i);
    else if (c === "/" && sql[i + 1] === "*") i = sql.includes("*/", i + 2) ? sql.indexOf("*/", i + 2) + 2 : sql.length;
    else if ((c === "x" || c === "X") && sql[i + 1] === "'") {
      i = quoted(sql, i + 1);
      tokens.push({ kind: "blob", value: sql.slice(start + 2, i - 1), start, end: i });
    } else if (c in CLOSERS) {
      i = quoted(sql, i);
      const close = CLOSERS[c];
      const value = sql.slice(start + 1, i - 1).replaceAll(close + close, close);
      tokens.push({ kind: c === "'" ? "string" : "ident", value, start, end: i });
    } else if (isWordStart(c)) {
      while (i < sql.length && isWordPart(sql[i])) i++;
      tokens.push({ kind: "word", value: sql.slice(start, i), start, end: i });
    } else if (/\d/.test(c) || (c === "." && /\d/.test(sql[i + 1] ?? ""))) {
      i += NUMBER.exec(sql.slice(i, i + 400))?.[0].length ?? 1;
      while (i < sql.length && isWordPart(sql[i])) i++;
      tokens.push({ kind: "number", value: sql.slice(start, i), start, end: i });
    } else if (c === "?") {
      i++;
      while (i < sql.length && /\d/.test(sql[i])) i++;
      tokens.push({ kind: "param", value: sql.slice(start, i), start, end: i });
    } else if ((c === ":" || c === "@" || c === "$") && isWordPart(sql[i + 1] ?? " ")) {
      i++;
      while (i < sql.length && isWordPart(sql[i])) i++;
      tokens.push({ kind: "param", value: sql.slice(start, i), start, end: i });
    } else {
      i++;
      tokens.push({ kind: "punct", value: c, start, end: i });
    }
  }
  return tokens;
}

/** The statements of a query, empty ones (`;;`) left out. */
export function splitStatements(tokens: Token[]): SqlStatement[] {
  const statements: SqlStatement[] = [];
  let current: Token[] = [];
  let depth = 0;
  const flush = () => {
    if (current.length > 0) statements.push({ tokens: current, start: current[0].start, end: current[current.length - 1].end });
    current = [];
    depth = 0;
  };
  for (const token of tokens) {
    if (token.kind === "punct" && token.value === ";" && depth === 0) {
      flush();
      continue;
    }
    current.push(token);
    if (token.kind !== "word") continue;
    const word = token.value.toUpperCase();
    if (word === "CASE" || (word === "BEGIN" && isTrigger(current))) depth++;
    else if (word === "END" && depth > 0) depth--;
  }
  flush();
  return statements;
}

/** Whether a statement's first words are CREATE [TEMP|TEMPORARY] TRIGGER. */
function isTrigger(tokens: Token[]): boolean {
  const words = tokens.slice(0, 3).map((t) => (t.kind === "word" ? t.value.toUpperCase() : ""));
  return words[0] === "CREATE" && (words[1] === "TRIGGER" || ((words[1] === "TEMP" || words[1] === "TEMPORARY") && words[2] === "TRIGGER"));
}

function lineEnd(sql: string, from: number): number {
  const end = sql.indexOf("\n", from);
  return end === -1 ? sql.length : end + 1;
}

/** The index after the closing quote of the literal opening at `open` (doubled quotes escape it). */
function quoted(sql: string, open: number): number {
  const close = CLOSERS[sql[open]];
  let i = open + 1;
  for (;;) {
    const at = sql.indexOf(close, i);
    if (at === -1) throw new StorageError("sql_error", `unterminated ${close === "'" ? "string literal" : "quoted identifier"} starting at character ${open}`);
    if (close !== "]" && sql[at + 1] === close) i = at + 2;
    else return at + 1;
  }
}
