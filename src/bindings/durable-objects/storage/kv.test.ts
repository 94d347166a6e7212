/** @module The key-value calls of ObjectStorage: get, put, delete, deleteAll, their limits, and bad input leaving storage unchanged. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { DoStorageLimits, ObjectStorage, StorageError, dumpSnapshot } from "./index.js";
import type { JournalRecord, StorageErrorCode } from "./index.js";

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (value: Uint8Array | null | undefined) => (value ? new TextDecoder().decode(value) : value);

function fresh(): { storage: ObjectStorage; records: JournalRecord[] } {
  const records: JournalRecord[] = [];
  return { storage: new ObjectStorage(":memory:", { onCommit: (r) => records.push(r) }), records };
}

/** Asserts that `call` throws a StorageError with `code` and a message matching `message`, and that nothing changed or was journaled. */
function refused(storage: ObjectStorage, records: JournalRecord[], call: () => unknown, code: StorageErrorCode, message?: RegExp): void {
  const before = dumpSnapshot(storage.snapshot());
  const journaled = records.length;
  assert.throws(call, (error: unknown) => {
    assert.ok(error instanceof StorageError, `a StorageError, not ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (message) assert.match(error.message, message);
    return true;
  });
  assert.equal(dumpSnapshot(storage.snapshot()), before, "storage unchanged");
  assert.equal(records.length, journaled, "nothing journaled");
}

test("get, put and delete with single keys", () => {
  const { storage } = fresh();
  assert.equal(storage.get("missing"), null);
  storage.put("a", bytes("1"));
  storage.put("a", bytes("2"));
  storage.put("", bytes("empty key"));
  assert.equal(text(storage.get("a")), "2");
  assert.equal(text(storage.get("")), "empty key");
  storage.put("zero", new Uint8Array(0));
  assert.deepEqual(storage.get("zero"), new Uint8Array(0));
  assert.equal(storage.delete("a"), true);
  assert.equal(storage.delete("a"), false);
  assert.equal(storage.get("a"), null);
});

test("multi-key calls: get answers the found keys in key order, put takes an object or a Map, delete counts", () => {
  const { storage, records } = fresh();
  storage.put({ b: bytes("B"), a: bytes("A"), "é": bytes("E") });
  storage.put(new Map([["c", bytes("C")]]));
  assert.equal(records.length, 2, "one record per call");
  const found = storage.get(["é", "missing", "c", "a", "a"]);
  assert.deepEqual([...found.keys()], ["a", "c", "é"]);
  assert.equal(text(found.get("é")), "E");
  assert.equal(storage.get([]).size, 0);
  assert.equal(storage.delete(["a", "b", "missing", "a"]), 2);
  assert.deepEqual([...storage.list().keys()], ["c", "é"]);
});

test("the stored value is a copy: changing the caller's bytes later changes nothing", () => {
  const { storage, records } = fresh();
  const value = bytes("abc");
  storage.put("k", value);
  value[0] = 0x7a;
  assert.equal(text(storage.get("k")), "abc");
  const copy = new ObjectStorage(":memory:");
  copy.apply(records[0].bytes);
  assert.equal(text(copy.get("k")), "abc");
});

test("keys up to 2048 UTF-8 bytes are accepted; one byte more is refused, naming the limit and the size", () => {
  const { storage, records } = fresh();
  const largest = "é".repeat(DoStorageLimits.MAX_KEY_BYTES / 2); // 2 bytes each
  storage.put(largest, bytes("ok"));
  assert.equal(text(storage.get(largest)), "ok");
  refused(storage, records, () => storage.put(`${largest}x`, bytes("no")), "key_too_large", /2049 bytes \(UTF-8\), over the limit of 2048/);
  refused(storage, records, () => storage.get(`${largest}x`), "key_too_large");
  refused(storage, records, () => storage.delete([`${largest}x`]), "key_too_large");
});

test("values up to 128 KiB are accepted; one byte more is refused and nothing is written", () => {
  const { storage, records } = fresh();
  storage.put("max", new Uint8Array(DoStorageLimits.MAX_VALUE_BYTES));
  assert.equal(storage.get("max")?.byteLength, 131072);
  refused(storage, records, () => storage.put("big", new Uint8Array(DoStorageLimits.MAX_VALUE_BYTES + 1)), "value_too_large", /"big" is 131073 bytes, over the limit of 131072/);
});

test("at most 128 keys per multi-key call", () => {
  const { storage, records } = fresh();
  const keys = Array.from({ length: 128 }, (_, i) => `k${i}`);
  storage.put(Object.fromEntries(keys.map((k) => [k, bytes(k)])));
  assert.equal(storage.get(keys).size, 128);
  const tooMany = [...keys, "k128"];
  refused(storage, records, () => storage.get(tooMany), "too_many_keys", /129 keys, over the limit of 128/);
  refused(storage, records, () => storage.delete(tooMany), "too_many_keys");
  refused(storage, records, () => storage.put(Object.fromEntries(tooMany.map((k) => [k, bytes(k)]))), "too_many_keys");
  assert.equal(storage.get(keys).size, 128);
});

test("a multi-key put with one bad entry writes none of them", () => {
  const { storage, records } = fresh();
  storage.put("a", bytes("old"));
  const entries = { a: bytes("new"), b: bytes("b"), c: new Uint8Array(DoStorageLimits.MAX_VALUE_BYTES + 1) };
  refused(storage, records, () => storage.put(entries), "value_too_large", /"c"/);
  assert.equal(text(storage.get("a")), "old");
  assert.equal(storage.get("b"), null);
});

test("bad input is refused with a typed error naming the value", () => {
  const { storage, records } = fresh();
  const untyped = storage as unknown as Record<string, (...args: unknown[]) => unknown>;
  refused(storage, records, () => untyped.get(42), "invalid_key", /number 42/);
  refused(storage, records, () => untyped.put("k", "not bytes"), "invalid_value", /must be bytes/);
  refused(storage, records, () => untyped.put(null), "invalid_key");
  refused(storage, records, () => untyped.put({ a: bytes("a"), b: 7 }), "invalid_value", /"b"/);
  refused(storage, records, () => untyped.put(new Map<unknown, unknown>([[1, bytes("a")]])), "invalid_key");
  refused(storage, records, () => untyped.delete(["a", {}]), "invalid_key", /key 1/);
  refused(storage, records, () => storage.put("\ud800", bytes("lone surrogate")), "invalid_key", /lone surrogate/);
  refused(storage, records, () => untyped.deleteAll({ alarm: "yes" }), "invalid_option");
});

test("deleteAll removes every pair and every table, and the alarm unless told not to", () => {
  const { storage } = fresh();
  storage.put({ a: bytes("1"), b: bytes("2") });
  storage.sql.exec("CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (id INTEGER PRIMARY KEY AUTOINCREMENT, parent REFERENCES parent(id))");
  storage.sql.exec("CREATE INDEX child_parent ON child(parent); CREATE VIEW v AS SELECT * FROM child; CREATE VIRTUAL TABLE docs USING fts5(body)");
  storage.sql.exec("INSERT INTO parent VALUES (1); INSERT INTO child (parent) VALUES (1); INSERT INTO docs VALUES ('hello')");
  storage.setAlarm(5_000);
  storage.deleteAll({ alarm: false });
  assert.equal(storage.list().size, 0);
  assert.equal(storage.getAlarm(), 5_000);
  const left = storage.sql.exec("SELECT name FROM sqlite_schema WHERE name NOT LIKE '\\_verge\\_%' ESCAPE '\\' AND name <> 'sqlite_sequence'").toArray();
  assert.deepEqual(left, []);
  storage.sql.exec("CREATE TABLE parent (id INTEGER PRIMARY KEY)"); // the names are free again
  storage.deleteAll();
  assert.equal(storage.getAlarm(), null);
});

test("a closed storage refuses every call", () => {
  const { storage } = fresh();
  storage.close();
  assert.throws(() => storage.get("a"), { code: "closed" });
  assert.throws(() => storage.sql.exec("SELECT 1"), { code: "closed" });
  storage.close();
});
