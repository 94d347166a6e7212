/**
 * @module `verge kv --nats` against a real nats-server: each command joins
 * the cluster as a short-lived view, so a value put by one process is read
 * by a fresh one, and a PoP's replica of the namespace sees it too.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { KvNamespace } from "../../src/bindings/kv/namespace.js";
import { NatsServer } from "../../src/substrate/nats/server.js";
import { createNatsSubstrate } from "../../src/substrate/nats/index.js";
import { runVerge } from "../support/cli.js";
import { until } from "../support/network.js";

describe("verge kv --nats against nats-server", () => {
  let server: NatsServer;
  const kv = (...args: string[]) => runVerge(["kv", ...args, "--namespace", "flags", "--nats", server.url]);
  before(async () => (server = await NatsServer.start()));
  after(async () => server.stop());

  test("put, then get from a fresh process, get --metadata and list; delete; a PoP's replica follows", async () => {
    const put = await kv("put", "beta", "from the cli", "--metadata", '{"by":"cli"}', "--expiration-ttl", "600");
    assert.equal(put.code, 0, put.stderr);
    await Promise.all([kv("put", "gamma", "g"), kv("put", "delta", "d")]);

    const got = await kv("get", "beta");
    assert.equal(got.code, 0, got.stderr);
    assert.equal(got.stdout.toString(), "from the cli");
    const described = JSON.parse((await kv("get", "beta", "--metadata")).stdout.toString()) as { metadata: unknown; expiration: number };
    assert.deepEqual(described.metadata, { by: "cli" });
    assert.ok(Math.abs(described.expiration - (Date.now() / 1000 + 600)) < 60);
    const listed = JSON.parse((await kv("list", "--limit", "2")).stdout.toString()) as { keys: { name: string }[]; list_complete: boolean };
    assert.deepEqual(listed.keys.map((k) => k.name), ["beta", "delta"]);
    assert.equal(listed.list_complete, false);

    // A PoP hosting the namespace replicates what the command wrote.
    const substrate = createNatsSubstrate({ servers: [server.url] });
    const pop = new KvNamespace("flags", "tokyo", substrate.forPop("tokyo"), undefined);
    try {
      pop.start();
      await until(async () => pop.replica.get("gamma") !== null, "the write at the PoP");
      assert.equal((await kv("delete", "gamma")).code, 0);
      await until(async () => pop.replica.get("gamma") === null, "the deletion at the PoP");
    } finally {
      await pop.close();
      await substrate.close();
    }
    const missing = await kv("get", "gamma");
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'verge kv: Key "gamma" not found in namespace "flags"\n');
  });

  test("bad input is refused before the cluster is reached, and nothing is stored", async () => {
    const bad = await kv("put", "bad-ttl", "v", "--expiration-ttl", "59");
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, "verge kv: KV put failed: expirationTtl must be at least 60 seconds: received 59\n");
    const url = await runVerge(["kv", "get", "k", "--namespace", "flags", "--nats", "http://127.0.0.1:4222"]);
    assert.equal(url.code, 2);
    assert.match(url.stderr, /^verge kv: --nats must be NATS server URLs .*: received "http:\/\/127\.0\.0\.1:4222"\n$/);
    assert.deepEqual((JSON.parse((await kv("list", "--prefix", "bad-")).stdout.toString()) as { keys: unknown[] }).keys, []);
  });
});
