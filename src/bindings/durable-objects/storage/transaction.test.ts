/** @module Batches and transactions: commit() all or nothing, read-your-writes in an open transaction, conflicts, and transactionSync() spanning key-value calls and SQL. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ObjectStorage, StorageError, dumpSnapshot } from "./index.js";
import type { JournalRecord, ListOptions, Mutation } from "./index.js";

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (value: Uint8Array | null | undefined) => (value ? new TextDecoder().decode(value) : value);

function fresh(): { storage: ObjectStorage; records: JournalRecord[] } {
  const records: JournalRecord[] = [];
  return { storage: new ObjectStorage(":memory:", { onCommit: (r) => records.push(r) }), records };
}

test("commit() applies a batch as one record; a bad mutation anywhere writes nothing", () => {
  const { storage, records } = fresh();
  storage.commit([
    { op: "put", key: "a", value: bytes("1") },
    { op: "put", key: "b", value: bytes("2") },
    { op: "setAlarm", time: 1000 },
  ]);
  assert.equal(records.length, 1);
  assert.equal(records[0].seq, 1);
  const before = dumpSnapshot(storage.snapshot());
  const bad: unknown[] = [{ op: "delete", key: "a" }, { op: "put", key: "c", value: bytes("3") }, { op: "put", key: "d", value: new Uint8Array(200_000) }];
  assert.throws(() => storage.commit(bad as Mutation[]), { code: "value_too_large", message: /^mutation 2: value of "d"/ });
  assert.throws(() => storage.commit([{ op: "merge" }] as unknown as Mutation[]), { code: "invalid_option", message: /mutation 0/ });
  assert.throws(() => storage.commit([{ op: "setAlarm", time: Number.NaN }]), { code: "invalid_alarm" });
  assert.equal(dumpSnapshot(storage.snapshot()), before);
  assert.equal(records.length, 1);
  assert.equal(storage.lastSeq, 1);
});

test("an open transaction reads its own writes; the storage sees them only after commit", () => {
  const { storage, records } = fresh();
  storage.put({ a: bytes("old"), b: bytes("b"), c: bytes("c") });
  const txn = storage.transaction();
  txn.put("a", bytes("new"));
  assert.equal(txn.delete("b"), true);
  assert.equal(txn.delete("missing"), false);
  txn.put({ d: bytes("d") });
  txn.setAlarm(42);
  assert.equal(text(txn.get("a")), "new");
  assert.equal(txn.get("b"), null);
  assert.deepEqual([...txn.get(["a", "b", "d"]).keys()], ["a", "d"]);
  assert.deepEqual([...txn.list().keys()], ["a", "c", "d"]);
  assert.equal(txn.getAlarm(), 42);
  assert.equal(text(storage.get("a")), "old", "not visible outside yet");
  assert.equal(storage.getAlarm(), null);
  txn.commit();
  assert.equal(records.length, 2, "the transaction is one record");
  assert.deepEqual([...storage.list().keys()], ["a", "c", "d"]);
  assert.equal(text(storage.get("a")), "new");
  assert.equal(storage.getAlarm(), 42);
  assert.throws(() => txn.get("a"), { code: "transaction_closed" });
});

test("list() inside a transaction merges its writes with the stored keys for any options", () => {
  const { storage } = fresh();
  const stored = ["a", "ab", "b", "ba", "c", "é", "日"];
  storage.put(Object.fromEntries(stored.map((k) => [k, bytes(k)])));
  const txn = storage.transaction();
  txn.delete(["ab", "c"]);
  txn.put({ aa: bytes("aa"), bb: bytes("bb"), "éé": bytes("éé"), b: bytes("B") });
  const visible = ["a", "aa", "b", "ba", "bb", "é", "éé", "日"];
  const order = (x: string, y: string) => Buffer.compare(Buffer.from(x), Buffer.from(y));
  for (const options of [{}, { limit: 2 }, { limit: 3, reverse: true }, { prefix: "b" }, { start: "ab", end: "é", limit: 2 }, { startAfter: "a", limit: 1 }, { prefix: "é", reverse: true }] as ListOptions[]) {
    let expected = visible.filter((k) => (options.prefix ? k.startsWith(options.prefix) : true) && (options.start ? order(k, options.start) >= 0 : true) && (options.startAfter ? order(k, options.startAfter) > 0 : true) && (options.end ? order(k, options.end) < 0 : true)).sort(order);
    if (options.reverse) expected.reverse();
    if (options.limit) expected = expected.slice(0, options.limit);
    assert.deepEqual([...txn.list(options).keys()], expected, JSON.stringify(options));
  }
  assert.equal(text(txn.list({ prefix: "b", limit: 1 }).get("b")), "B");
});

test("rollback() drops the writes; a transaction with no writes commits nothing", () => {
  const { storage, records } = fresh();
  const txn = storage.transaction();
  txn.put("a", bytes("1"));
  txn.deleteAlarm();
  txn.rollback();
  assert.throws(() => txn.commit(), { code: "transaction_closed", message: /rolled back/ });
  assert.equal(storage.get("a"), null);
  const empty = storage.transaction();
  assert.equal(empty.get("a"), null);
  empty.commit();
  assert.equal(records.length, 0);
});

test("a transaction that read fails with transaction_conflict if another change committed since it began; one that only wrote does not", () => {
  const { storage } = fresh();
  storage.put("counter", bytes("1"));
  const reader = storage.transaction();
  const writer = storage.transaction();
  const seen = Number(text(reader.get("counter")));
  reader.put("counter", bytes(String(seen + 1)));
  writer.put("other", bytes("x"));
  storage.put("counter", bytes("10")); // a change from outside the transactions
  assert.throws(() => reader.commit(), (e: unknown) => e instanceof StorageError && e.code === "transaction_conflict" && e.isUserError);
  assert.equal(text(storage.get("counter")), "10", "the conflicting write was not applied");
  writer.commit();
  assert.equal(text(storage.get("other")), "x");
  const retry = storage.transaction();
  retry.put("counter", bytes(String(Number(text(retry.get("counter"))) + 1)));
  retry.commit();
  assert.equal(text(storage.get("counter")), "11");
});

test("writes in a transaction are checked when made, with the same limits", () => {
  const { storage } = fresh();
  const txn = storage.transaction();
  assert.throws(() => txn.put("k", new Uint8Array(200_000)), { code: "value_too_large" });
  assert.throws(() => txn.get(Array.from({ length: 129 }, (_, i) => `k${i}`)), { code: "too_many_keys" });
  assert.throws(() => txn.setAlarm(-1), { code: "invalid_alarm" });
  txn.put("k", bytes("fine"));
  txn.commit();
  assert.equal(text(storage.get("k")), "fine");
});

test("transactionSync() commits key-value writes and SQL together as one record, or nothing when it throws", () => {
  const { storage, records } = fresh();
  storage.sql.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
  const result = storage.transactionSync(() => {
    storage.put("k", bytes("1"));
    storage.sql.exec("INSERT INTO t (v) VALUES (?)", "one");
    storage.transactionSync(() => storage.setAlarm(7)); // nests
    return storage.sql.exec("SELECT count(*) AS n FROM t").one().n;
  });
  assert.equal(result, 1);
  assert.equal(records.length, 2, "the CREATE TABLE, then the whole transaction");
  assert.deepEqual(records.map((r) => r.seq), [1, 2]);
  const before = dumpSnapshot(storage.snapshot());
  assert.throws(() =>
    storage.transactionSync(() => {
      storage.put("k", bytes("2"));
      storage.sql.exec("INSERT INTO t (v) VALUES ('two')");
      storage.deleteAll();
      storage.sql.exec("INSERT INTO t (v) VALUES (NULL)"); // NOT NULL: fails after the other writes
    }),
  );
  assert.equal(dumpSnapshot(storage.snapshot()), before);
  assert.equal(records.length, 2);
  assert.equal(storage.lastSeq, 2);
});

test("a failing call inside transactionSync() is undone alone; the transaction goes on", () => {
  const { storage, records } = fresh();
  storage.transactionSync(() => {
    storage.put("a", bytes("1"));
    assert.throws(() => storage.sql.exec("CREATE TABLE t (a); INSERT INTO nowhere VALUES (1)"), { code: "sql_error" });
    storage.put("b", bytes("2"));
  });
  assert.deepEqual([...storage.list().keys()], ["a", "b"]);
  assert.equal(storage.sql.exec("SELECT count(*) AS n FROM sqlite_schema WHERE name = 't'").one().n, 0);
  assert.equal(records.length, 1);
  assert.throws(() => storage.transactionSync(() => storage.snapshot()), { code: "transaction_open" });
});
