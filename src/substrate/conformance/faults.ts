/** @module Conformance cases for partitions: what is lost, what waits, and what heal delivers. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { SubstrateError } from "../errors.js";
import { STORE_NODE } from "../types.js";
import { TEST_TIMEOUT_MS, withBackend, type MakeBackend } from "./harness.js";
import { bytes, reader, stillPending, text } from "./support.js";

/** Registers the partition cases; each skips itself when the backend has no fault injection. */
export function faultCases(make: MakeBackend): void {
  const options = { timeout: TEST_TIMEOUT_MS };
  describe("partitions", () => {
    test("between two PoPs: messages are lost and requests time out; after heal both work", options, (t) =>
      withBackend(make, async ({ substrate, faults }) => {
        if (!faults) return t.skip("backend has no fault injection");
        const read = reader(await substrate.forPop("frankfurt").subscribe("purge"));
        await substrate.forPop("frankfurt").serve("ask.frankfurt", () => bytes("yes"));
        const tokyo = substrate.forPop("tokyo");
        await faults.partition("tokyo", "frankfurt");
        tokyo.publish("purge", bytes("lost"));
        await read.nothing(300);
        await assert.rejects(tokyo.request("ask.frankfurt", bytes(""), { timeoutMs: 300 }), (e: unknown) => e instanceof SubstrateError && e.code === "request_timeout");
        substrate.forPop("virginia").publish("purge", bytes("from elsewhere"));
        assert.deepEqual((await read.take(1)).map((m) => text(m.data)), ["from elsewhere"]);
        await faults.heal();
        tokyo.publish("purge", bytes("after heal"));
        assert.deepEqual((await read.take(1)).map((m) => text(m.data)), ["after heal"]);
        assert.equal(text(await tokyo.request("ask.frankfurt", bytes(""), { timeoutMs: 3000 })), "yes");
      }));

    test("between a PoP and the store: its appends and bucket calls wait, and complete after heal", options, (t) =>
      withBackend(make, async ({ substrate, faults }) => {
        if (!faults) return t.skip("backend has no fault injection");
        const tokyo = substrate.forPop("tokyo");
        const bucket = await tokyo.bucket("leases");
        const follower = reader(await tokyo.consume("journal", 1));
        await faults.partition("tokyo", STORE_NODE);
        const append = tokyo.append("journal", bytes("waits"));
        const put = bucket.put("owner", bytes("tokyo"));
        assert.ok(await stillPending(append, 300), "append completed across a partition");
        assert.ok(await stillPending(put, 10), "put completed across a partition");
        assert.equal(await substrate.forPop("frankfurt").append("journal", bytes("frankfurt")), 1);
        await follower.nothing(200);
        await faults.heal();
        assert.equal(await append, 2);
        assert.ok((await put) >= 1);
        assert.deepEqual((await follower.take(2)).map((r) => text(r.data)), ["frankfurt", "waits"]);
      }));
  });
}
