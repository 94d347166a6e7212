/** @module Conformance cases for streams: ordered sequences, durability across a restart, resumable consumers. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { SubstrateError } from "../errors.js";
import { TEST_TIMEOUT_MS, withBackend, type MakeBackend } from "./harness.js";
import { bytes, reader, text } from "./support.js";

/** Registers the stream cases. */
export function streamCases(make: MakeBackend): void {
  const options = { timeout: TEST_TIMEOUT_MS };
  describe("streams", () => {
    test("appends get gapless increasing sequences; consume yields them in order", options, () =>
      withBackend(make, async ({ substrate }) => {
        const tokyo = substrate.forPop("tokyo");
        const seqs = [];
        for (let i = 0; i < 5; i++) seqs.push(await tokyo.append("log", bytes(`m${i}`)));
        assert.deepEqual(seqs, [1, 2, 3, 4, 5]);
        const records = await reader(await substrate.forPop("frankfurt").consume("log", 1)).take(5);
        assert.deepEqual(records.map((r) => [r.seq, text(r.data)]), seqs.map((seq, i) => [seq, `m${i}`]));
      }));

    test("lastSequence is 0 for a new stream and follows acknowledged appends", options, () =>
      withBackend(make, async ({ substrate }) => {
        const tokyo = substrate.forPop("tokyo");
        assert.equal(await tokyo.lastSequence("tail"), 0);
        for (let i = 0; i < 3; i++) await tokyo.append("tail", bytes(`t${i}`));
        assert.equal(await substrate.forPop("frankfurt").lastSequence("tail"), 3);
      }));

    test("concurrent appends from several PoPs: one total order that keeps each PoP's own order", options, () =>
      withBackend(make, async ({ substrate }) => {
        const pops = ["tokyo", "frankfurt", "virginia"];
        const acks = await Promise.all(pops.flatMap((pop) => Array.from({ length: 20 }, (_, i) => substrate.forPop(pop).append("kv", bytes(`${pop}:${i}`)).then((seq) => [seq, `${pop}:${i}`] as const))));
        assert.deepEqual(acks.map(([seq]) => seq).sort((a, b) => a - b), Array.from({ length: 60 }, (_, i) => i + 1));
        const records = await reader(await substrate.forPop("tokyo").consume("kv", 1)).take(60);
        assert.deepEqual(records.map((r) => r.seq), Array.from({ length: 60 }, (_, i) => i + 1));
        const bySeq = new Map(acks);
        for (const record of records) assert.equal(text(record.data), bySeq.get(record.seq));
        for (const pop of pops) {
          const own = records.map((r) => text(r.data)).filter((data) => data.startsWith(`${pop}:`));
          assert.deepEqual(own, Array.from({ length: 20 }, (_, i) => `${pop}:${i}`));
        }
      }));

    test("acknowledged appends survive a backend restart, and numbering continues", options, () =>
      withBackend(make, async (backend) => {
        const view = backend.substrate.forPop("tokyo");
        const acked = await Promise.all(Array.from({ length: 50 }, (_, i) => view.append("journal", bytes(`w${i}`))));
        const substrate = await backend.restart();
        const after = substrate.forPop("frankfurt");
        const records = await reader(await after.consume("journal", 1)).take(50);
        for (const [i, seq] of acked.entries()) assert.equal(text(records[seq - 1].data), `w${i}`);
        assert.equal(await after.append("journal", bytes("next")), 51);
      }));

    test("a consumer resumes from a sequence after a reconnect and then follows live appends", options, () =>
      withBackend(make, async ({ substrate }) => {
        const writer = substrate.forPop("virginia");
        for (let i = 1; i <= 6; i++) await writer.append("purge", bytes(`p${i}`));
        const consumerPop = substrate.forPop("tokyo");
        const first = await consumerPop.consume("purge", 1);
        const seen = await reader(first).take(3);
        await first.close();
        const resumed = reader(await consumerPop.consume("purge", seen[2].seq + 1));
        assert.deepEqual((await resumed.take(3)).map((r) => [r.seq, text(r.data)]), [[4, "p4"], [5, "p5"], [6, "p6"]]);
        await writer.append("purge", bytes("p7"));
        assert.deepEqual((await resumed.take(1)).map((r) => r.seq), [7]);
        await resumed.nothing(150);
      }));

    test("streams are independent, and consuming from beyond the end waits for new records", options, () =>
      withBackend(make, async ({ substrate }) => {
        const view = substrate.forPop("tokyo");
        await view.append("a", bytes("a1"));
        assert.equal(await view.append("b", bytes("b1")), 1);
        const later = reader(await view.consume("a", 2));
        await later.nothing(100);
        await view.append("a", bytes("a2"));
        assert.deepEqual((await later.take(1)).map((r) => text(r.data)), ["a2"]);
      }));

    test("closing the substrate ends live consumers with an error", options, () =>
      withBackend(make, async ({ substrate }) => {
        const read = reader(await substrate.forPop("tokyo").consume("x", 1));
        await substrate.close();
        const end = await read.end();
        assert.ok(end instanceof SubstrateError && end.code === "closed", `expected a closed error, got ${String(end)}`);
      }));
  });
}
