/**
 * @module The journal's cases, run on both substrate backends by
 * `embedded.test.ts` and `nats.test.ts`: rebuild after acknowledged writes,
 * after a snapshot plus later records, ordering under concurrent commits, a
 * deposed owner fenced off, and (printed, not asserted) the p50 of one put
 * made durable.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { decodeEntry, dumpSnapshot, ObjectStorage } from "../storage/index.js";
import type { Substrate } from "../../../substrate/types.js";
import { JournalError } from "./errors.js";
import { decodeFrame } from "./frame.js";
import { ObjectJournal, type ObjectJournalOptions } from "./journal.js";
import { rebuild } from "./rebuild.js";

/** A fresh substrate and how to dispose of it. */
export interface JournalBackend {
  substrate: Substrate;
  close(): Promise<void>;
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** An owner: a storage journaled at `pop`, rebuilt first. */
async function owner(substrate: Substrate, pop: string, options: ObjectJournalOptions): Promise<{ storage: ObjectStorage; journal: ObjectJournal }> {
  const view = substrate.forPop(pop);
  const journal = new ObjectJournal(view, options);
  const storage = new ObjectStorage(":memory:", { onCommit: journal.onCommit });
  await rebuild(view, storage, options);
  return { storage, journal };
}

function assertSame(a: ObjectStorage, b: ObjectStorage): void {
  assert.deepEqual([...b.list()], [...a.list()]);
  assert.equal(dumpSnapshot(b.snapshot()), dumpSnapshot(a.snapshot()));
}

/** Registers the cases on the backend `make` gives (one for the whole suite). */
export function journalCases(name: string, make: () => Promise<JournalBackend>): void {
  describe(`journal on ${name}`, { timeout: 60_000 }, () => {
    let backend: JournalBackend;
    before(async () => {
      backend = await make();
    });
    after(async () => {
      await backend.close();
    });
    const newKey = (): string => `do.counter-Counter.${randomBytes(32).toString("hex")}`;

    test("after N acknowledged writes, another PoP rebuilds identical contents", async () => {
      const key = newKey();
      const a = await owner(backend.substrate, "tokyo", { key, epoch: 1 });
      a.storage.sql.exec("CREATE TABLE msgs (id INTEGER PRIMARY KEY, body TEXT)");
      for (let i = 0; i < 50; i++) {
        a.storage.put(`k${i % 20}`, bytes(`v${i}`));
        a.storage.sql.exec("INSERT INTO msgs (body) VALUES (?)", `m${i}`);
      }
      a.storage.delete("k3");
      await a.journal.durable();
      const copy = new ObjectStorage(":memory:");
      const result = await rebuild(backend.substrate.forPop("frankfurt"), copy, { key, epoch: 2 });
      assert.deepEqual([result.applied, result.ignored, result.snapshotSeq], [102, 0, 0]);
      assertSame(a.storage, copy);
    });

    test("rebuild restores a snapshot, then replays the records after it", async () => {
      const key = newKey();
      const a = await owner(backend.substrate, "tokyo", { key, epoch: 1, snapshotEveryRecords: 10 });
      for (let i = 0; i < 9; i++) a.storage.put(`k${i}`, bytes(`v${i}`));
      assert.equal(await a.journal.maybeSnapshot(a.storage), null);
      a.storage.put("k9", bytes("v9"));
      const snap = await a.journal.maybeSnapshot(a.storage);
      assert.ok(snap?.stored, JSON.stringify(snap));
      for (let i = 0; i < 5; i++) a.storage.put(`late${i}`, bytes(`w${i}`));
      await a.journal.durable();
      const copy = new ObjectStorage(":memory:");
      const result = await rebuild(backend.substrate.forPop("saopaulo"), copy, { key, epoch: 2 });
      assert.equal(result.snapshotSeq, snap.streamSeq);
      assert.equal(result.applied, 5);
      assertSame(a.storage, copy);
    });

    test("appends keep commit order under concurrent commits and durable() calls", async () => {
      const key = newKey();
      const a = await owner(backend.substrate, "tokyo", { key, epoch: 1 });
      const waits: Promise<number>[] = [];
      for (let i = 0; i < 200; i++) {
        a.storage.put(`k${i % 7}`, bytes(`v${i}`));
        if (i % 10 === 0) waits.push(a.journal.durable());
      }
      waits.push(a.journal.durable());
      const acked = await Promise.all(waits);
      assert.deepEqual(acked, [...acked].sort((x, y) => x - y));
      const view = backend.substrate.forPop("tokyo");
      const records = await view.consume(a.journal.stream, 1);
      const seqs: number[] = [];
      try {
        for await (const { seq, data } of records) {
          const frame = decodeFrame(data, seq);
          if (frame.kind === "data") seqs.push(decodeEntry(frame.record).seq);
          if (seq >= acked.at(-1)!) break;
        }
      } finally {
        await records.close();
      }
      assert.deepEqual(seqs, Array.from({ length: 200 }, (_, i) => i + 1));
      const copy = new ObjectStorage(":memory:");
      await rebuild(backend.substrate.forPop("mumbai"), copy, { key, epoch: 2 });
      assertSame(a.storage, copy);
    });

    test("a deposed owner's late write is ignored after a fence and its durable() rejects", async () => {
      const key = newKey();
      const old = await owner(backend.substrate, "tokyo", { key, epoch: 1 });
      for (let i = 0; i < 5; i++) old.storage.put(`k${i}`, bytes(`v${i}`));
      await old.journal.durable();
      const next = await owner(backend.substrate, "london", { key, epoch: 2 });
      old.storage.put("stale", bytes("lost"));
      await assert.rejects(old.journal.durable(), (error: JournalError) => error.code === "fenced");
      assert.throws(() => old.storage.put("after", bytes("x")), (error: JournalError) => error.code === "fenced");
      next.storage.put("fresh", bytes("kept"));
      await next.journal.durable();
      await assert.rejects(rebuild(backend.substrate.forPop("tokyo"), new ObjectStorage(":memory:"), { key, epoch: 1 }), (error: JournalError) => error.code === "fenced");
      const copy = new ObjectStorage(":memory:");
      const result = await rebuild(backend.substrate.forPop("sydney"), copy, { key, epoch: 3 });
      assert.equal(result.ignored, 1);
      assert.equal(copy.get("stale"), null);
      assertSame(next.storage, copy);
    });

    test("bad options are refused with invalid_option", () => {
      const view = backend.substrate.forPop("tokyo");
      assert.throws(() => new ObjectJournal(view, { key: ".bad", epoch: 1 }), (error: JournalError) => error.code === "invalid_option");
      assert.throws(() => new ObjectJournal(view, { key: "ok", epoch: 0 }), (error: JournalError) => error.code === "invalid_option");
      assert.throws(() => new ObjectJournal(view, { key: "ok", epoch: 1, snapshotEveryRecords: 0 }), (error: JournalError) => error.code === "invalid_option");
    });

    test("p50 of one put made durable (printed)", async () => {
      const a = await owner(backend.substrate, "virginia", { key: newKey(), epoch: 1 });
      const times: number[] = [];
      for (let i = 0; i < 200; i++) {
        const start = performance.now();
        a.storage.put("count", bytes(String(i)));
        await a.journal.durable();
        times.push(performance.now() - start);
      }
      times.sort((x, y) => x - y);
      console.log(`[${name}] durable put: p50 ${times[100].toFixed(3)} ms, p99 ${times[198].toFixed(3)} ms over 200`);
    });
  });
}
