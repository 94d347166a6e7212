/**
 * @module NATS-only cases: one substrate lives through a kill -9 of nats-server
 * and its restart on the same store; its connections reconnect and its live
 * watches, consumers and services carry on.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, test } from "node:test";
import { withBackend } from "../conformance/harness.js";
import { bytes, reader, sleep, stillPending, text } from "../conformance/support.js";
import { SubstrateError } from "../errors.js";
import type { Message } from "../types.js";
import { freePort } from "./probe.js";
import { NatsSubstrate } from "./substrate.js";
import { natsBackend, type NatsTestBackend } from "./testing.js";

const options = { timeout: 20_000 };
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
// A short JetStream timeout makes a publish lost in the reconnect window retry quickly (with the same message id).
const make = (): Promise<NatsTestBackend> => natsBackend({ reconnectTimeWaitMs: 100, jetStreamTimeoutMs: 1000 });
/** Runs `body` with a NATS backend (the conformance helper, typed for the server it carries). */
const withNats = (body: (backend: NatsTestBackend) => Promise<void>): Promise<void> => withBackend(make, (backend) => body(backend as NatsTestBackend));

describe("NATS: one substrate through a kill -9 of nats-server", () => {
  test("acknowledged appends survive; a live consumer resumes after the reconnect without gaps or repeats", options, () =>
    withNats(async ({ substrate, server }) => {
      const tokyo = substrate.forPop("tokyo");
      const acked = await Promise.all(Array.from({ length: 20 }, (_, i) => tokyo.append("journal", bytes(`w${i}`))));
      const follower = reader(await substrate.forPop("frankfurt").consume("journal", 1));
      assert.equal((await follower.take(20)).length, 20);
      await server.restart();
      assert.equal(await tokyo.append("journal", bytes("after")), 21);
      assert.deepEqual((await follower.take(1)).map((r) => [r.seq, text(r.data)]), [[21, "after"]]);
      await follower.nothing(200);
      const replay = await reader(await substrate.forPop("virginia").consume("journal", 1)).take(21);
      for (const [i, seq] of acked.entries()) assert.equal(text(replay[seq - 1].data), `w${i}`);
    }));

  test("a live consumer keeps delivering every later append after the restart, not only the first", options, () =>
    withNats(async ({ substrate, server }) => {
      const tokyo = substrate.forPop("tokyo");
      await tokyo.append("journal", bytes("before"));
      const follower = reader(await substrate.forPop("frankfurt").consume("journal", 1));
      assert.equal((await follower.take(1)).length, 1);
      await server.restart();
      for (let i = 0; i < 5; i++) {
        await tokyo.append("journal", bytes(`after ${i}`));
        // One at a time: the client's own recreation of the consumer pulled a batch of one and stalled after it.
        assert.deepEqual((await follower.take(1, 3000)).map((r) => [r.seq, text(r.data)]), [[i + 2, `after ${i}`]]);
      }
    }));

  test("an append made while the server is down waits and completes once it is back, stored once", options, () =>
    withNats(async ({ substrate, server }) => {
      const tokyo = substrate.forPop("tokyo");
      assert.equal(await tokyo.append("log", bytes("one")), 1);
      await server.kill();
      const pending = tokyo.append("log", bytes("two"));
      assert.ok(await stillPending(pending, 300), "append completed with the server down");
      await server.restart();
      assert.equal(await pending, 2);
      assert.equal(await tokyo.append("log", bytes("three")), 3);
    }));

  test("a live watch resumes after the reconnect; compare-and-set still conflicts on stale revisions", options, () =>
    withNats(async ({ substrate, server }) => {
      const bucket = await substrate.forPop("tokyo").bucket("directory");
      const created = await bucket.compareAndSet("object-1", bytes("tokyo"), null);
      assert.ok(created.ok);
      const watch = reader(await (await substrate.forPop("frankfurt").bucket("directory")).watch("object-"));
      assert.deepEqual((await watch.take(1)).map((c) => c.revision), [created.revision]);
      await server.restart();
      const moved = await bucket.compareAndSet("object-1", bytes("frankfurt"), created.revision);
      assert.ok(moved.ok);
      assert.deepEqual(await bucket.compareAndSet("object-1", bytes("stale"), created.revision), { ok: false, currentRevision: moved.revision });
      const change = (await watch.take(1))[0];
      assert.ok(change.op === "put" && text(change.value) === "frankfurt" && change.revision === moved.revision);
      await watch.nothing(200);
    }));

  test("services and subscriptions are registered again after the reconnect", options, () =>
    withNats(async ({ substrate, server }) => {
      await substrate.forPop("frankfurt").serve("do.frankfurt", (request) => bytes(`hi ${request.from}`));
      const messages = reader(await substrate.forPop("virginia").subscribe("purge.>"));
      const tokyo = substrate.forPop("tokyo");
      assert.equal(text(await tokyo.request("do.frankfurt", bytes(""), { timeoutMs: 2000 })), "hi tokyo");
      await server.restart();
      // Each PoP's connection comes back on its own time: until frankfurt's has, nothing serves the subject.
      let reply: Uint8Array | undefined;
      for (let attempt = 0; attempt < 50 && !reply; attempt++) {
        reply = await tokyo.request("do.frankfurt", bytes(""), { timeoutMs: 2000 }).catch(async (e: unknown) => {
          if (!(e instanceof SubstrateError && e.code === "no_responders")) throw e;
          await sleep(100);
          return undefined;
        });
      }
      assert.equal(reply && text(reply), "hi tokyo");
      // Fire and forget: a message published before virginia's connection is back is lost, so publish until one arrives.
      let got: Message[] = [];
      for (let attempt = 0; attempt < 30 && got.length === 0; attempt++) {
        tokyo.publish("purge.url", bytes("after"));
        got = await messages.take(1, 100).catch(() => []);
      }
      assert.deepEqual(got.map((m) => [m.subject, text(m.data), m.from]), [["purge.url", "after", "tokyo"]]);
    }));

  test("a request while the server is down times out with request_timeout", options, () =>
    withNats(async ({ substrate, server }) => {
      const tokyo = substrate.forPop("tokyo");
      await tokyo.append("warm", bytes("x"));
      await server.kill();
      await assert.rejects(tokyo.request("anything", bytes(""), { timeoutMs: 300 }), (e: unknown) => e instanceof SubstrateError && e.code === "request_timeout");
    }));

  test("a view that never connected waits, and closing it rejects its calls and lets the process exit", options, async () => {
    const substrate = new NatsSubstrate({ servers: [`nats://127.0.0.1:${await freePort()}`], reconnectTimeWaitMs: 100 });
    const pending = substrate.forPop("tokyo").append("log", bytes("never"));
    assert.ok(await stillPending(pending, 300), "append completed with no server");
    await substrate.close();
    await assert.rejects(pending, (e: unknown) => e instanceof SubstrateError && e.code === "closed");
    // The same in a process of its own, which must end by itself: no connection attempt goes on after close().
    const script = `import { NatsSubstrate } from "./src/substrate/nats/substrate.ts";
      const s = new NatsSubstrate({ servers: ["nats://127.0.0.1:${await freePort()}"] });
      s.forPop("tokyo"); setTimeout(() => void s.close(), 300);`;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: ROOT, timeout: 10_000, encoding: "utf8" });
    assert.equal(child.signal, null, "the process did not exit by itself within 10 s");
    assert.equal(child.status, 0, child.stderr);
  });
});
