/** @module The journal: records round-trip as bytes, replay builds an identical copy (list() and a full SQL dump), also from a snapshot plus the records after it, and bad records or snapshots are refused. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { ObjectStorage, StorageError, decodeEntry, dumpSnapshot, encodeEntry } from "./index.js";
import type { JournalEntry, JournalRecord } from "./index.js";

const directory = mkdtempSync(join(tmpdir(), "verge-do-journal-"));
after(() => rmSync(directory, { recursive: true, force: true }));

const bytes = (text: string) => new TextEncoder().encode(text);

/** A small deterministic PRNG (mulberry32), so a failing workload can be run again. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every kind of change, some calls failing on purpose; answers the records made. */
function workload(storage: ObjectStorage, records: JournalRecord[], steps: number, seed: number, snapshotAt?: (i: number) => void): void {
  const random = prng(seed);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  const keys = ["a", "b", "é", "日本", "\u{1F600}", "z", "user:1", "user:2", "user:10"];
  const schema = "CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, data BLOB, n REAL)";
  storage.sql.exec(schema);
  for (let i = 0; i < steps; i++) {
    snapshotAt?.(i);
    const roll = random();
    const value = new Uint8Array(Math.floor(random() * 64)).map(() => Math.floor(random() * 256));
    try {
      if (roll < 0.25) storage.put(pick(keys), value);
      else if (roll < 0.32) storage.put({ [pick(keys)]: value, [pick(keys)]: bytes(String(i)) });
      else if (roll < 0.4) storage.delete(random() < 0.5 ? pick(keys) : [pick(keys), pick(keys)]);
      else if (roll < 0.41) {
        storage.transactionSync(() => {
          storage.deleteAll({ alarm: random() < 0.5 });
          storage.sql.exec(schema);
        });
      }
      else if (roll < 0.47) storage.setAlarm(Math.floor(random() * 1e12));
      else if (roll < 0.5) storage.deleteAlarm();
      else if (roll < 0.7) storage.sql.exec("INSERT INTO items (name, data, n) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET n = n + excluded.n", `item${Math.floor(random() * 20)}`, value, random());
      else if (roll < 0.75) storage.sql.exec("DELETE FROM items WHERE id % ? = 0", 2 + Math.floor(random() * 5));
      else if (roll < 0.8) storage.sql.exec(`CREATE INDEX IF NOT EXISTS by_n ON items (n); UPDATE items SET n = n * 2`);
      else if (roll < 0.88) {
        const txn = storage.transaction();
        txn.put(pick(keys), value);
        if (txn.get(pick(keys)) !== null) txn.delete(pick(keys));
        if (random() < 0.2) txn.rollback();
        else txn.commit();
      } else if (roll < 0.95) {
        storage.transactionSync(() => {
          storage.put(pick(keys), value);
          storage.sql.exec("INSERT INTO items (name, data) VALUES (?, ?)", `tx${i}`, value);
          if (random() < 0.3) throw new Error("abandoned on purpose");
        });
      } else storage.sql.exec("INSERT INTO items (name) VALUES ('dup'); INSERT INTO items (name) VALUES ('dup')"); // fails as a whole
    } catch (error) {
      if (!(error instanceof StorageError) && (error as Error).message !== "abandoned on purpose") throw error;
    }
  }
  assert.ok(records.length > steps / 2, `${records.length} records from ${steps} steps`);
  const rows = Number(storage.sql.exec("SELECT count(*) AS n FROM items").one().n);
  assert.ok(rows > 0 && storage.list().size > 0, `the workload leaves data to compare: ${rows} rows, ${storage.list().size} keys`);
}

function assertSame(copy: ObjectStorage, original: ObjectStorage): void {
  assert.deepEqual([...copy.list()], [...original.list()]);
  assert.equal(copy.getAlarm(), original.getAlarm());
  assert.equal(copy.lastSeq, original.lastSeq);
  assert.equal(dumpSnapshot(copy.snapshot()), dumpSnapshot(original.snapshot()));
}

test("a record round-trips every kind of operation and value", () => {
  const entry: JournalEntry = {
    seq: 42,
    ops: [
      { op: "put", key: "日本\u{1F600}", value: new Uint8Array([0, 255]) },
      { op: "delete", key: "" },
      { op: "deleteAll", alarm: true },
      { op: "setAlarm", time: 1_700_000_000_123 },
      { op: "deleteAlarm" },
      { op: "sql", query: "INSERT INTO t VALUES (?, ?, ?, ?, ?)", bindings: [null, -1.5, 2n ** 62n, "text", new Uint8Array([1, 2, 3])] },
    ],
  };
  assert.deepEqual(decodeEntry(encodeEntry(entry)), entry);
});

test("bad records are refused with journal_invalid", () => {
  const good = encodeEntry({ seq: 1, ops: [{ op: "put", key: "k", value: bytes("v") }] });
  for (const [bad, message] of [
    [good.subarray(0, good.length - 1), /cut short/],
    [Uint8Array.of(...good, 0), /after its end/],
    [Uint8Array.of(2, ...good.subarray(1)), /version 2/],
    [encodeEntry({ seq: 0, ops: [] }), /sequence 0/],
    [new Uint8Array(0), /cut short/],
  ] as const) {
    assert.throws(() => decodeEntry(bad), { code: "journal_invalid", message });
  }
  const storage = new ObjectStorage(":memory:");
  assert.throws(() => storage.apply(Uint8Array.of(1, ...new Uint8Array(8).fill(0xff))), { code: "journal_invalid" });
});

test("replaying every record on an empty copy gives an identical copy", () => {
  const records: JournalRecord[] = [];
  const original = new ObjectStorage(":memory:", { onCommit: (r) => records.push(r) });
  workload(original, records, 600, 7);
  assert.deepEqual(records.map((r) => r.seq), records.map((_, i) => i + 1), "sequences 1, 2, 3, … with no gap");
  const copyRecords: JournalRecord[] = [];
  const copy = new ObjectStorage(":memory:", { onCommit: (r) => copyRecords.push(r) });
  for (const record of records) assert.equal(copy.apply(record.bytes), true);
  assertSame(copy, original);
  assert.equal(copyRecords.length, 0, "applying is not committing: no records from the copy");
});

test("a record applied twice is skipped; a record after a gap is refused", () => {
  const records: JournalRecord[] = [];
  const original = new ObjectStorage(":memory:", { onCommit: (r) => records.push(r) });
  for (let i = 0; i < 3; i++) original.put(`k${i}`, bytes(String(i)));
  const copy = new ObjectStorage(":memory:");
  assert.equal(copy.apply(records[0].bytes), true);
  assert.equal(copy.apply(records[0].bytes), false);
  assert.throws(() => copy.apply(records[2].bytes), { code: "journal_gap", message: /record 3 cannot follow 1: records 2 to 2 are missing/ });
  assert.equal(copy.apply(records[1].bytes), true);
  assert.equal(copy.apply(records[2].bytes), true);
  assertSame(copy, original);
});

test("a snapshot plus the records after it rebuild the object, in memory and on disk", () => {
  const records: JournalRecord[] = [];
  const original = new ObjectStorage(":memory:", { onCommit: (r) => records.push(r) });
  let snapshot = new Uint8Array(0);
  let seqAtSnapshot = 0;
  workload(original, records, 400, 11, (i) => {
    if (i === 250) {
      snapshot = original.snapshot();
      seqAtSnapshot = original.lastSeq;
    }
  });
  assert.ok(seqAtSnapshot > 0 && seqAtSnapshot < records.length);
  for (const rebuilt of [new ObjectStorage(":memory:"), ObjectStorage.open(directory, "rebuilt")]) {
    rebuilt.put("stale", bytes("replaced by the snapshot"));
    rebuilt.restore(snapshot);
    assert.equal(rebuilt.lastSeq, seqAtSnapshot, "the snapshot holds its journal sequence");
    assert.equal(rebuilt.get("stale"), null);
    const applied = records.filter((r) => rebuilt.apply(r.bytes)).length;
    assert.equal(applied, records.length - seqAtSnapshot, "records up to the snapshot were skipped");
    assertSame(rebuilt, original);
    rebuilt.close();
  }
  const reopened = ObjectStorage.open(directory, "rebuilt");
  assertSame(reopened, original);
  reopened.put("after", bytes("a restored file takes new writes"));
  reopened.close();
});

test("a bad snapshot is refused and leaves the storage as it was", () => {
  const storage = new ObjectStorage(":memory:");
  storage.put("k", bytes("v"));
  const before = dumpSnapshot(storage.snapshot());
  const plain = new ObjectStorage(":memory:");
  plain.sql.exec("CREATE TABLE t (x)");
  const notOurs = plain.snapshot();
  notOurs.fill(0, 100); // header kept, pages gone
  for (const bad of [new Uint8Array(10), bytes("SQLite format 3\0".padEnd(200, "x")), notOurs]) {
    assert.throws(() => storage.restore(bad), { code: "snapshot_invalid" });
  }
  assert.equal(dumpSnapshot(storage.snapshot()), before);
});
