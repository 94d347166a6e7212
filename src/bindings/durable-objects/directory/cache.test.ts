/** @module The lookup cache's rules: never back in time, reads merged with changes racing them, bounded, off while the watch is down. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { EntryCache } from "./cache.js";
import type { DirectoryRecord, Stored } from "./record.js";

const record = (pop: string, epoch: number): DirectoryRecord => ({ pop, holder: `${pop}/h`, epoch, expiresAt: 1, leaseMs: 1, region: null });
const at = (revision: number, pop: string | null, epoch = 1): Stored => ({ revision, record: pop === null ? null : record(pop, epoch) });

test("a watch change replaces a cached entry only when newer; keys not cached are not added", async () => {
  const cache = new EntryCache(10);
  await cache.read("k", async () => at(5, "tokyo"));
  cache.change("k", at(4, "sydney"));
  assert.equal(cache.peek("k")?.record?.pop, "tokyo");
  cache.change("k", at(6, "frankfurt", 2));
  assert.equal(cache.peek("k")?.record?.pop, "frankfurt");
  cache.change("other", at(7, "tokyo"));
  assert.equal(cache.peek("other"), undefined);
});

test("a change arriving while a read is in flight wins when newer, even over an absence", async () => {
  const cache = new EntryCache(10);
  const answer = await cache.read("k", async () => {
    cache.change("k", at(9, "virginia"));
    return at(0, null);
  });
  assert.equal(answer.record?.pop, "virginia");
  const older = await cache.read("k", async () => {
    cache.change("k", at(3, "tokyo"));
    return at(10, "london");
  });
  assert.equal(older.record?.pop, "london");
  assert.equal(cache.peek("k")?.revision, 10);
});

test("least recently used entries go first; a disabled cache answers nothing until enabled, empty", async () => {
  const cache = new EntryCache(2);
  for (const key of ["a", "b"]) await cache.read(key, async () => at(1, "tokyo"));
  cache.peek("a");
  await cache.read("c", async () => at(2, "tokyo"));
  assert.deepEqual(["a", "b", "c"].map((key) => cache.peek(key) !== undefined), [true, false, true]);
  cache.disable();
  assert.equal(cache.peek("a"), undefined);
  await cache.read("a", async () => at(3, "tokyo"));
  cache.enable();
  assert.equal(cache.size, 0);
});
