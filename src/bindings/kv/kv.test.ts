/** @module KV binding tests: the Workers KV API at real PoPs, limits, and eventual consistency across PoPs. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startKvNetwork, type KvNetwork } from "../../../test/support/kv.js";

describe("KV binding at one PoP", () => {
  let net: KvNetwork;
  before(async () => (net = await startKvNetwork(["virginia"], 0)));
  after(async () => net.close());
  const call = (op: string, args: unknown[], query?: string) => net.call("virginia", op, args, query);

  test("put, get in every type, getWithMetadata, delete", async () => {
    assert.deepEqual(await call("put", ["a", '{"on":true}', { metadata: { owner: "ops" } }]), { ok: true, result: null });
    assert.deepEqual((await call("get", ["a"])).result, '{"on":true}');
    assert.deepEqual((await call("get", ["a", "json"])).result, { on: true });
    assert.deepEqual((await call("get", ["a", { type: "arrayBuffer", cacheTtl: 60 }])).result, { bytes: [...Buffer.from('{"on":true}')] });
    assert.deepEqual((await call("get", ["a", "stream"])).result, { text: '{"on":true}' });
    assert.deepEqual((await call("getWithMetadata", ["a", "json"])).result, { value: { on: true }, metadata: { owner: "ops" }, cacheStatus: null });
    assert.deepEqual((await call("getWithMetadata", ["missing"])).result, { value: null, metadata: null, cacheStatus: null });
    await call("delete", ["a"]);
    assert.equal((await call("get", ["a"])).result, null);
  });

  test("put takes bytes and streams; the empty string is a value", async () => {
    await call("put", ["bytes", [1, 2, 3]], "&bytes=1");
    assert.deepEqual((await call("get", ["bytes", "arrayBuffer"])).result, { bytes: [1, 2, 3] });
    await call("put", ["streamed", "from a stream"], "&stream=1");
    assert.equal((await call("get", ["streamed"])).result, "from a stream");
    await call("put", ["empty", ""]);
    assert.equal((await call("get", ["empty"])).result, "");
  });

  test("bulk get returns a Map, null for absent keys", async () => {
    await call("put", ["b1", "one"]);
    await call("put", ["b2", '"two"']);
    assert.deepEqual((await call("get", [["b1", "nope"]])).result, { map: { b1: "one", nope: null } });
    assert.deepEqual((await call("get", [["b2"], "json"])).result, { map: { b2: "two" } });
    assert.match((await call("get", [["b1"], "arrayBuffer"])).message!, /bulk get returns text or json only/);
  });

  test("list: prefix, limit, cursor, metadata and expiration", async () => {
    for (let i = 0; i < 5; i++) await call("put", [`user:${i}`, "x", i === 0 ? { metadata: { n: 0 }, expirationTtl: 3600 } : {}]);
    const first = (await call("list", [{ prefix: "user:", limit: 2 }])).result as { keys: { name: string; expiration?: number; metadata?: unknown }[]; list_complete: boolean; cursor?: string };
    assert.deepEqual(first.keys.map((k) => k.name), ["user:0", "user:1"]);
    assert.deepEqual(first.keys[0].metadata, { n: 0 });
    assert.ok(first.keys[0].expiration! > Date.now() / 1000 + 3500);
    assert.equal(first.keys[1].expiration, undefined);
    assert.equal(first.list_complete, false);
    const rest = (await call("list", [{ prefix: "user:", cursor: first.cursor }])).result as { keys: { name: string }[]; list_complete: boolean; cursor?: string };
    assert.deepEqual(rest.keys.map((k) => k.name), ["user:2", "user:3", "user:4"]);
    assert.equal(rest.list_complete, true);
    assert.equal(rest.cursor, undefined);
  });

  test("bad keys, values, metadata and expirations are rejected naming the limit, and nothing is written", async () => {
    const cases: [unknown[], string, RegExp][] = [
      [["", "v"], "TypeError", /key must not be empty/],
      [[".", "v"], "TypeError", /must not be "." or ".."/],
      [["k".repeat(513), "v"], "RangeError", /key is 513 bytes \(UTF-8\), over the limit of 512/],
      [["é".repeat(257), "v"], "RangeError", /key is 514 bytes/],
      [["bad-meta", "v", { metadata: { x: "y".repeat(1100) } }], "RangeError", /metadata is 1108 bytes as JSON, over the limit of 1024/],
      [["bad-ttl", "v", { expirationTtl: 30 }], "RangeError", /expirationTtl must be at least 60 seconds: received 30/],
      [["bad-exp", "v", { expiration: Math.floor(Date.now() / 1000) + 10 }], "RangeError", /expiration must be at least 60 seconds in the future/],
      [["bad-type", 42], "TypeError", /value must be a string, ArrayBuffer, ArrayBufferView or ReadableStream: received number/],
    ];
    for (const [args, name, message] of cases) {
      const answer = await call("put", args);
      assert.equal(answer.ok, false, `put ${JSON.stringify(args).slice(0, 60)} should fail`);
      assert.equal(answer.name, name);
      assert.match(answer.message!, message);
    }
    assert.match((await call("list", [{ limit: 1001 }])).message!, /limit must be an integer from 1 to 1000: received 1001/);
    const listed = (await call("list", [{ prefix: "bad-" }])).result as { keys: unknown[] };
    assert.deepEqual(listed.keys, []);
  });

  test("a value over 25 MiB is rejected", async () => {
    const answer = await call("put", ["big", "x"], "&huge=1");
    assert.equal(answer.name, "RangeError");
    assert.match(answer.message!, /value is 26214401 bytes, over the limit of 26214400 \(25 MiB\)/);
    assert.equal((await call("get", ["big"])).result, null);
  });
});
