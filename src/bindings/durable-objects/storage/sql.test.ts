/** @module sql.exec: cursor results, rowsRead and rowsWritten, parameters, multi-statement queries, and what is refused (internal tables, transactions, ATTACH, PRAGMA changes, nondeterministic writes). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ObjectStorage, StorageError, dumpSnapshot } from "./index.js";
import type { JournalRecord, StorageErrorCode } from "./index.js";

function fresh(): { storage: ObjectStorage; records: JournalRecord[] } {
  const records: JournalRecord[] = [];
  const storage = new ObjectStorage(":memory:", { onCommit: (r) => records.push(r) });
  storage.sql.exec("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, avatar BLOB)");
  storage.sql.exec("INSERT INTO users (name) VALUES ('ada'), ('grace'), ('linus')");
  return { storage, records };
}

function refused(storage: ObjectStorage, query: string, code: StorageErrorCode, message?: RegExp, ...bindings: unknown[]): void {
  const before = dumpSnapshot(storage.snapshot());
  assert.throws(
    () => storage.sql.exec(query, ...bindings),
    (e: unknown) => e instanceof StorageError && e.code === code && (!message || message.test(e.message)),
    `${query.slice(0, 80)} → ${code}`,
  );
  assert.equal(dumpSnapshot(storage.snapshot()), before, `${query.slice(0, 80)} changed nothing`);
}

test("a SELECT gives rows as objects and as arrays, columnNames, and rowsRead", () => {
  const { storage } = fresh();
  const cursor = storage.sql.exec("SELECT id, name, avatar FROM users WHERE id >= ? ORDER BY id", 2);
  assert.deepEqual(cursor.columnNames, ["id", "name", "avatar"]);
  assert.equal(cursor.rowsRead, 2);
  assert.equal(cursor.rowsWritten, 0);
  assert.deepEqual(cursor.next(), { done: false, value: { id: 2, name: "grace", avatar: null } });
  assert.deepEqual(cursor.raw().toArray(), [[3, "linus", null]], "raw() continues where the cursor is");
  assert.deepEqual(cursor.toArray(), []);
  assert.deepEqual([...storage.sql.exec("SELECT name FROM users ORDER BY id")].map((row) => row.name), ["ada", "grace", "linus"]);
  assert.deepEqual([...storage.sql.exec("SELECT id, name FROM users ORDER BY id LIMIT 2").raw()], [[1, "ada"], [2, "grace"]]);
  assert.deepEqual(storage.sql.exec("SELECT 1 AS a, 2 AS a").raw().toArray(), [[1, 2]], "duplicate column names survive as arrays");
});

test("one() answers the single row and refuses none or several", () => {
  const { storage } = fresh();
  assert.deepEqual(storage.sql.exec("SELECT name FROM users WHERE id = 1").one(), { name: "ada" });
  assert.throws(() => storage.sql.exec("SELECT name FROM users WHERE id = 9").one(), { code: "sql_no_single_row", message: /got none/ });
  assert.throws(() => storage.sql.exec("SELECT name FROM users").one(), { code: "sql_no_single_row", message: /got 3/ });
});

test("rowsWritten counts inserted, updated and deleted rows, trigger writes included; RETURNING rows count as read", () => {
  const { storage } = fresh();
  const update = storage.sql.exec("UPDATE users SET name = upper(name) WHERE id <= 2");
  assert.deepEqual([update.rowsRead, update.rowsWritten, update.columnNames], [0, 2, []]);
  const inserted = storage.sql.exec("INSERT INTO users (name) VALUES (?), (?) RETURNING id, name", "ken", "dennis");
  assert.deepEqual(inserted.toArray(), [{ id: 4, name: "ken" }, { id: 5, name: "dennis" }]);
  assert.deepEqual([inserted.rowsRead, inserted.rowsWritten], [2, 2]);
  storage.sql.exec("CREATE TABLE audit (user INTEGER); CREATE TRIGGER log AFTER DELETE ON users BEGIN INSERT INTO audit VALUES (old.id); END");
  const deleted = storage.sql.exec("DELETE FROM users WHERE id > 3");
  assert.equal(deleted.rowsWritten, 4, "two deleted rows and two audit rows");
  assert.equal(storage.sql.exec("CREATE INDEX by_name ON users (name)").rowsWritten, 0);
});

test("values: blobs, bigints, nulls, floats and text round-trip; bad bindings are refused by position", () => {
  const { storage } = fresh();
  const avatar = new Uint8Array([0, 1, 254, 255]);
  storage.sql.exec("UPDATE users SET avatar = ? WHERE id = ?", avatar, 1);
  storage.sql.exec("UPDATE users SET avatar = ? WHERE id = 2", avatar.buffer);
  const rows = storage.sql.exec("SELECT avatar FROM users WHERE id <= 2 ORDER BY id").toArray();
  for (const row of rows) assert.deepEqual(row.avatar, avatar);
  assert.ok(rows[0].avatar instanceof Uint8Array && !Buffer.isBuffer(rows[0].avatar));
  assert.deepEqual(storage.sql.exec("SELECT ? AS big, ? AS f, ? AS n, ? AS t", 2n ** 40n, 1.5, null, "日本").one(), { big: 2 ** 40, f: 1.5, n: null, t: "日本" });
  refused(storage, "SELECT ?", "sql_bindings", /binding 1 must be null, a number, a bigint, a string or bytes: received boolean true/, true);
  refused(storage, "SELECT ?", "sql_bindings", /binding 1 .* received undefined/, undefined);
});

test("parameters: ? and ?NNN are bound by position; a wrong count or a named parameter is refused", () => {
  const { storage } = fresh();
  assert.deepEqual(storage.sql.exec("SELECT ?2 AS b, ?1 AS a, ?2 AS again, ? AS next", "A", "B", "C").one(), { b: "B", a: "A", again: "B", next: "C" });
  refused(storage, "SELECT ?, ?", "sql_bindings", /2 parameters but 1 values were bound/, 1);
  refused(storage, "SELECT 1", "sql_bindings", /0 parameters but 1/, 1);
  refused(storage, "SELECT :name", "sql_bindings", /named parameter :name is not supported/, "x");
  refused(storage, "SELECT ?0", "sql_bindings", /start at \?1/, 1);
  refused(storage, `SELECT ${Array.from({ length: 101 }, () => "?").join(", ")}`, "sql_bindings", /101 parameters, over the limit of 100/, ...Array.from({ length: 101 }, () => 1));
});

test("several statements run in order; the last gives the rows and alone may have parameters; a failure undoes them all", () => {
  const { storage } = fresh();
  const cursor = storage.sql.exec("CREATE TABLE tags (name TEXT); INSERT INTO tags VALUES ('a'); INSERT INTO tags VALUES ('b'); SELECT count(*) AS n FROM tags WHERE name <> ?;", "a");
  assert.deepEqual(cursor.one(), { n: 1 });
  assert.equal(cursor.rowsWritten, 2);
  refused(storage, "INSERT INTO tags VALUES (?); SELECT 1", "sql_bindings", /only the last statement/, "x");
  refused(storage, "INSERT INTO tags VALUES ('c'); INSERT INTO missing VALUES (1)", "sql_error", /SQLite: no such table: missing/);
  refused(storage, "", "sql_error", /no statement/);
  refused(storage, " ; -- only a comment", "sql_error", /no statement/);
  refused(storage, "SELECT 'unterminated", "sql_error", /unterminated string literal/);
  refused(storage, "SELEC 1", "sql_error", /syntax error/);
  const trigger = "CREATE TRIGGER t AFTER INSERT ON tags BEGIN INSERT INTO tags SELECT CASE WHEN new.name = 'x' THEN 'y' ELSE NULL END WHERE new.name = 'x'; END; INSERT INTO tags VALUES ('x')";
  storage.sql.exec(trigger);
  assert.equal(storage.sql.exec("SELECT count(*) AS n FROM tags WHERE name = 'y'").one().n, 1, "the trigger body's semicolon did not split it");
});

test("the internal tables cannot be named, however they are quoted or reached", () => {
  const { storage } = fresh();
  for (const query of [
    "SELECT * FROM _verge_kv",
    "SELECT * FROM _VERGE_KV",
    'SELECT * FROM "_verge_meta"',
    "SELECT * FROM main.`_verge_kv`",
    "SELECT * FROM [_verge_kv]",
    "DELETE FROM '_verge_kv'",
    "SELECT * FROM pragma_table_info('_verge_meta')",
    "UPDATE _verge_meta SET alarm = 1",
    "DROP TABLE _verge_kv",
    "CREATE TABLE _verge_mine (x)",
    "CREATE TRIGGER sneak AFTER INSERT ON users BEGIN DELETE FROM _verge_kv; END",
    "CREATE VIEW v AS SELECT * FROM _verge_kv",
    "ALTER TABLE users RENAME TO _verge_users",
  ]) {
    refused(storage, query, "sql_reserved_name", /names starting with _verge_ belong to the storage's internal tables/);
  }
  assert.ok(storage.sql.exec("SELECT name FROM sqlite_schema").toArray().length > 0, "the schema itself can be read");
});

test("statements that would break durability or the journal are refused", () => {
  const { storage } = fresh();
  const cases: [string, StorageErrorCode, RegExp][] = [
    ["ATTACH DATABASE '/tmp/x.db' AS x", "sql_not_allowed", /ATTACH is not allowed/],
    ["DETACH x", "sql_not_allowed", /DETACH/],
    ["BEGIN", "sql_not_allowed", /use transactionSync\(\) or transaction\(\)/],
    ["BEGIN IMMEDIATE TRANSACTION", "sql_not_allowed", /BEGIN/],
    ["COMMIT", "sql_not_allowed", /COMMIT/],
    ["END", "sql_not_allowed", /END/],
    ["ROLLBACK", "sql_not_allowed", /ROLLBACK/],
    ["SAVEPOINT s", "sql_not_allowed", /SAVEPOINT/],
    ["RELEASE s", "sql_not_allowed", /RELEASE/],
    ["VACUUM", "sql_not_allowed", /VACUUM/],
    ["VACUUM INTO '/tmp/copy.db'", "sql_not_allowed", /VACUUM/],
    ["INSERT INTO users (name) VALUES ('x'); COMMIT", "sql_not_allowed", /COMMIT/],
    ["PRAGMA journal_mode = DELETE", "sql_not_allowed", /PRAGMA journal_mode is not allowed/],
    ["PRAGMA foreign_keys = OFF", "sql_not_allowed", /PRAGMA foreign_keys/],
    ["PRAGMA foreign_keys(0)", "sql_not_allowed", /PRAGMA foreign_keys/],
    ["PRAGMA writable_schema = 1", "sql_not_allowed", /writable_schema/],
    ["PRAGMA temp.table_info(users)", "sql_not_allowed", /schema "temp"/],
    ["CREATE TEMP TABLE scratch (x)", "sql_not_allowed", /temporary/],
    ["CREATE TEMPORARY VIEW v AS SELECT 1", "sql_not_allowed", /temporary/],
    ["SELECT * FROM temp.sqlite_schema", "sql_not_allowed", /temporary/],
    ["SELECT load_extension('evil')", "sql_not_allowed", /load_extension/],
  ];
  for (const [query, code, message] of cases) refused(storage, query, code, message);
  assert.deepEqual(storage.sql.exec("PRAGMA table_info(users)").toArray().map((c) => c.name), ["id", "name", "avatar"]);
  assert.deepEqual(storage.sql.exec("PRAGMA foreign_keys").one(), { foreign_keys: 1 }, "foreign keys are enforced, as in Workers");
  assert.ok(storage.sql.exec("PRAGMA main.index_list(users)"));
  assert.ok(storage.sql.databaseSize > 0);
  assert.deepEqual(storage.sql.exec("SELECT 'temp' AS temp").one(), { temp: "temp" }, "temp as a plain name is fine");
});

test("write statements with nondeterministic functions are refused; reads may use them", () => {
  const { storage } = fresh();
  for (const query of [
    "INSERT INTO users (name) VALUES (hex(randomblob(4)))",
    "UPDATE users SET name = random()",
    "INSERT INTO users (name) VALUES (datetime('now'))",
    "INSERT INTO users (name) VALUES (date())",
    "INSERT INTO users (name) VALUES (CURRENT_TIMESTAMP)",
    "INSERT INTO users (name) SELECT strftime('%s', 'NOW')",
    "INSERT INTO users (name) VALUES (last_insert_rowid())",
    "CREATE TABLE events (at TEXT DEFAULT CURRENT_TIMESTAMP)",
    "CREATE VIEW lucky AS SELECT random() AS n",
  ]) {
    refused(storage, query, "sql_nondeterministic", /a copy rebuilt from the journal would differ/);
  }
  refused(storage, "INSERT INTO users (name) VALUES (datetime(?))", "sql_nondeterministic", /'now'/, "now");
  assert.equal(typeof storage.sql.exec("SELECT random() AS r, datetime('now') AS now").one().r, "number");
  storage.sql.exec("INSERT INTO users (name) VALUES (datetime(?))", "2024-01-02 03:04:05");
  assert.equal(storage.sql.exec("SELECT name FROM users WHERE id = 4").one().name, "2024-01-02 03:04:05");
});

test("a query over 100,000 bytes is refused", () => {
  const { storage } = fresh();
  refused(storage, `SELECT '${"x".repeat(100_000)}'`, "sql_too_large", /100009 bytes, over the limit of 100000/);
});

test("comments are skipped and literals are read as SQLite reads them", () => {
  const { storage } = fresh();
  assert.deepEqual(storage.sql.exec("SELECT 1 AS one -- _verge_kv is only mentioned in a comment\n").one(), { one: 1 });
  assert.deepEqual(storage.sql.exec("/* ; _verge_kv ; */ SELECT 'it''s; fine' AS s, x'00ff' AS b, \"name\" FROM users WHERE id = 1").one(), { s: "it's; fine", b: new Uint8Array([0, 255]), name: "ada" });
  assert.deepEqual(storage.sql.exec("SELECT CASE WHEN 1 THEN 'a;b' END AS c;;").one(), { c: "a;b" });
  refused(storage, "INSERT INTO users (name) VALUES ('_verge_ in text')", "sql_reserved_name", /"_verge_ in text"/);
});
