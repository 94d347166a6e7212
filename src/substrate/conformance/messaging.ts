/** @module Conformance cases for pub/sub and request/reply. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { SubstrateError } from "../errors.js";
import { TEST_TIMEOUT_MS, withBackend, type MakeBackend } from "./harness.js";
import { bytes, reader, text } from "./support.js";

const code = (expected: string) => (error: unknown): boolean => error instanceof SubstrateError && error.code === expected;

/** Registers the pub/sub and request/reply cases. */
export function messagingCases(make: MakeBackend): void {
  const options = { timeout: TEST_TIMEOUT_MS };
  describe("pub/sub", () => {
    test("every matching subscriber on every PoP gets each message, in the publisher's order", options, () =>
      withBackend(make, async ({ substrate }) => {
        const subs = await Promise.all([
          substrate.forPop("tokyo").subscribe("purge.tag"),
          substrate.forPop("frankfurt").subscribe("purge.*"),
          substrate.forPop("frankfurt").subscribe("purge.>"),
          substrate.forPop("virginia").subscribe(">"),
        ]);
        const other = reader(await substrate.forPop("tokyo").subscribe("tail.*"));
        const publisher = substrate.forPop("virginia");
        for (let i = 0; i < 20; i++) publisher.publish("purge.tag", bytes(`t${i}`));
        for (const sub of subs) {
          const messages = await reader(sub).take(20);
          assert.deepEqual(messages.map((m) => text(m.data)), Array.from({ length: 20 }, (_, i) => `t${i}`));
          assert.ok(messages.every((m) => m.subject === "purge.tag" && m.from === "virginia"));
        }
        await other.nothing(150);
      }));

    test("a closed subscription gets nothing more; publishing with no subscriber is fine", options, () =>
      withBackend(make, async ({ substrate }) => {
        const tokyo = substrate.forPop("tokyo");
        const sub = await tokyo.subscribe("live");
        const read = reader(sub);
        substrate.forPop("frankfurt").publish("nobody.listens", bytes("x"));
        substrate.forPop("frankfurt").publish("live", bytes("1"));
        await read.take(1);
        await sub.close();
        substrate.forPop("frankfurt").publish("live", bytes("2"));
        assert.equal(await read.end(), "done");
        assert.throws(() => tokyo.publish("bad subject", bytes("")), code("invalid_name"));
        assert.throws(() => tokyo.publish("wild.*", bytes("")), code("invalid_name"));
      }));
  });

  describe("request/reply", () => {
    test("a request reaches the serving PoP and its reply comes back", options, () =>
      withBackend(make, async ({ substrate }) => {
        const service = await substrate.forPop("frankfurt").serve("do.frankfurt", (request) => bytes(`${request.from} asked ${text(request.data)}`));
        const reply = await substrate.forPop("tokyo").request("do.frankfurt", bytes("ping"), { timeoutMs: 3000 });
        assert.equal(text(reply), "tokyo asked ping");
        await service.close();
        await assert.rejects(substrate.forPop("tokyo").request("do.frankfurt", bytes("ping"), { timeoutMs: 500 }), (error: unknown) => code("no_responders")(error) || code("request_timeout")(error));
      }));

    test("no reply within the timeout rejects with request_timeout, close to the timeout", options, () =>
      withBackend(make, async ({ substrate }) => {
        await substrate.forPop("frankfurt").serve("slow", () => new Promise<Uint8Array>(() => {}));
        const started = performance.now();
        await assert.rejects(substrate.forPop("tokyo").request("slow", bytes("?"), { timeoutMs: 200 }), code("request_timeout"));
        const elapsed = performance.now() - started;
        assert.ok(elapsed >= 190 && elapsed < 1500, `timed out after ${elapsed.toFixed(0)} ms`);
      }));

    test("no server rejects with no_responders; a throwing handler with handler_error; abort with the reason", options, () =>
      withBackend(make, async ({ substrate }) => {
        const tokyo = substrate.forPop("tokyo");
        await assert.rejects(tokyo.request("nobody", bytes(""), { timeoutMs: 2000 }), code("no_responders"));
        await substrate.forPop("virginia").serve("fails", () => {
          throw new Error("boom");
        });
        await assert.rejects(tokyo.request("fails", bytes(""), { timeoutMs: 2000 }), (error: unknown) => code("handler_error")(error) && /boom/.test((error as Error).message));
        await substrate.forPop("virginia").serve("hangs", () => new Promise<Uint8Array>(() => {}));
        const controller = new AbortController();
        const pending = tokyo.request("hangs", bytes(""), { timeoutMs: 5000, signal: controller.signal });
        controller.abort(new Error("caller gave up"));
        await assert.rejects(pending, /caller gave up/);
      }));
  });
}
