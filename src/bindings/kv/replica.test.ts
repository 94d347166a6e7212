/** @module Tombstone collection in a replica: old deletion and expiry markers go, recent ones keep last-writer-wins. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { KvMutation } from "./codec.js";
import { KvReplica, TOMBSTONE_HORIZON_MS } from "./replica.js";

const HOUR = 60 * 60 * 1000;
const put = (key: string, ts: number, expiration: number | null = null): KvMutation => ({ kind: "put", key, value: new TextEncoder().encode(key), metadata: null, expiration, ts, pop: "tokyo" });
const del = (key: string, ts: number): KvMutation => ({ kind: "delete", key, value: new Uint8Array(0), metadata: null, expiration: null, ts, pop: "tokyo" });

test("tombstones older than the horizon behind the newest write are dropped; recent ones still win over late writes", () => {
  const now = Date.now();
  const replica = new KvReplica(":memory:");
  replica.apply(put("old", now - 50 * HOUR), 1);
  replica.apply(del("old", now - 48 * HOUR), 2);
  replica.apply(put("expired", now - 30 * HOUR, (now - 29 * HOUR) / 1000), 3);
  replica.apply(put("recent", now - 2 * HOUR), 4);
  replica.apply(del("recent", now - HOUR), 5);
  replica.apply(put("live", now), 6);
  assert.equal(replica.tombstones, 2, "two deletions; the expired key is still a row with its value");

  assert.equal(replica.collect(now), 2, "the old deletion and the expired key, both older than 24 h");
  assert.equal(replica.tombstones, 1);
  assert.equal(replica.get("live")?.value.length, 4);
  // The recent tombstone still rejects a write older than it that arrives late.
  assert.equal(replica.apply(put("recent", now - 90 * 60 * 1000), 7), false);
  assert.equal(replica.get("recent"), null);
  replica.close();
});

test("the horizon is measured from the newest write seen, so replaying an old stream keeps the tombstones it needs", () => {
  const now = Date.now();
  const replica = new KvReplica(":memory:");
  // Records three days old, replayed today: the newest write is itself three days old.
  replica.apply(put("k", now - 72 * HOUR), 1);
  replica.apply(del("k", now - 72 * HOUR + 1000), 2);
  assert.equal(replica.collect(now), 0);
  // A write appended late in the stream, older than the deletion, must not bring the key back.
  assert.equal(replica.apply(put("k", now - 72 * HOUR + 500), 3), false);
  assert.equal(replica.get("k"), null);
  // Once the stream has moved a horizon past it, the tombstone goes.
  replica.apply(put("later", now - 72 * HOUR + TOMBSTONE_HORIZON_MS + 2000), 4);
  assert.equal(replica.collect(now), 1);
  assert.equal(replica.tombstones, 0);
  replica.close();
});

test("a writer clock running ahead does not collect early", () => {
  const now = Date.now();
  const replica = new KvReplica(":memory:", { tombstoneHorizonMs: HOUR });
  replica.apply(del("gone", now - 30 * 60 * 1000), 1);
  replica.apply(put("future", now + 10 * HOUR), 2);
  assert.equal(replica.collect(now), 0, "half an hour old against a one-hour horizon, whatever the future write says");
  replica.close();
});
