/** @module Alarms: get, set, delete, bad times refused, and the alarm kept in the database across a reopen of the file. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { ObjectStorage } from "./index.js";
import type { JournalRecord } from "./index.js";

const directory = mkdtempSync(join(tmpdir(), "verge-do-alarm-"));
after(() => rmSync(directory, { recursive: true, force: true }));

test("setAlarm replaces the alarm, getAlarm answers it in whole milliseconds, deleteAlarm clears it", () => {
  const records: JournalRecord[] = [];
  const storage = new ObjectStorage(":memory:", { onCommit: (r) => records.push(r) });
  assert.equal(storage.getAlarm(), null);
  storage.deleteAlarm();
  assert.equal(records.length, 0, "deleting no alarm changes nothing");
  storage.setAlarm(1_700_000_000_000.9);
  assert.equal(storage.getAlarm(), 1_700_000_000_000);
  storage.setAlarm(0); // in the past: due at once, still stored
  assert.equal(storage.getAlarm(), 0);
  storage.deleteAlarm();
  assert.equal(storage.getAlarm(), null);
  assert.equal(records.length, 3);
});

test("bad alarm times are refused with the value named, and the alarm is unchanged", () => {
  const storage = new ObjectStorage(":memory:");
  storage.setAlarm(5);
  const setAlarm = storage.setAlarm.bind(storage) as (time: unknown) => void;
  for (const bad of [-1, Number.NaN, Infinity, 9e15, "1000", null, new Date(0)]) {
    assert.throws(() => setAlarm(bad), { code: "invalid_alarm" }, String(bad));
  }
  assert.throws(() => setAlarm("1000"), { message: /received "1000"/ });
  assert.equal(storage.getAlarm(), 5);
});

test("the alarm and the data survive closing and reopening the object's file", () => {
  const first = ObjectStorage.open(directory, "counter-1");
  first.setAlarm(1_800_000_000_000);
  first.put("k", new TextEncoder().encode("v"));
  first.sql.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1)");
  const seq = first.lastSeq;
  first.close();
  const reopened = ObjectStorage.open(directory, "counter-1");
  assert.equal(reopened.getAlarm(), 1_800_000_000_000);
  assert.equal(reopened.get("k")?.byteLength, 1);
  assert.equal(reopened.sql.exec("SELECT x FROM t").one().x, 1);
  assert.equal(reopened.lastSeq, seq);
  reopened.deleteAlarm();
  reopened.close();
  const again = ObjectStorage.open(directory, "counter-1");
  assert.equal(again.getAlarm(), null);
  again.close();
});

test("an object id that is not a safe file name is refused", () => {
  assert.throws(() => ObjectStorage.open(directory, "../escape"), { code: "invalid_option", message: /"\.\.\/escape"/ });
  assert.throws(() => ObjectStorage.open(directory, ""), { code: "invalid_option" });
});
