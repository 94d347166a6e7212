/**
 * Durable Objects on an embedded network of three PoPs: one instance per id
 * wherever requests arrive, exact counts under concurrency, racing claims,
 * input and output gates, alarms.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { namespaceIdOf } from "../../src/bindings/durable-objects/config.js";
import { bucketKey } from "../../src/bindings/durable-objects/directory/index.js";
import { idFromName } from "../../src/bindings/durable-objects/ids.js";
import { JournalLimits } from "../../src/bindings/durable-objects/journal/index.js";
import { startNetwork, until, type Network } from "../support/network.js";

const FIXTURE = join(import.meta.dirname, "../fixtures/do-cluster");
const POPS = ["tokyo", "frankfurt", "virginia"];

interface Counted {
  n: number;
  instance: string;
  alarms?: number;
  alarm?: number | null;
  error?: string;
}

describe("Durable Objects across three PoPs (embedded substrate)", () => {
  let net: Network;
  let slow: Server;
  let slowUrl: string;
  const call = async (pop: string, path: string, init?: RequestInit): Promise<Counted> => {
    const response = await net.fetch(pop, path, init);
    const body = (await response.json()) as Counted;
    assert.equal(response.status, 200, `${pop} ${path}: ${JSON.stringify(body)}`);
    return body;
  };

  before(async () => {
    net = await startNetwork(FIXTURE, POPS, 0, {}, "virginia", { egress: { allowLocal: true }, bindings: { durableObjects: { leaseMs: 2000, alarmRetryMs: 50 } } });
    slow = createServer((_req, res) => setTimeout(() => res.end("slow"), 100));
    await new Promise<void>((resolve) => slow.listen(0, "127.0.0.1", resolve));
    slowUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/`;
  });
  after(async () => {
    await net.close();
    slow.close();
  });

  it("counts 1,000 concurrent increments arriving through three PoPs exactly, in one instance", async () => {
    const instances = new Set<string>();
    const seen = new Set<number>();
    const requests = Array.from({ length: 1000 }, (_, i) => async () => {
      const body = await call(POPS[i % 3], "/increment?name=thousand");
      instances.add(body.instance);
      seen.add(body.n);
    });
    // 100 in flight at a time: every PoP has requests waiting on the object at once.
    const running = new Set<Promise<void>>();
    for (const request of requests) {
      const p = request().finally(() => running.delete(p));
      running.add(p);
      if (running.size >= 100) await Promise.race(running);
    }
    await Promise.all(running);
    const final = await call("frankfurt", "/read?name=thousand");
    assert.equal(final.n, 1000);
    assert.equal(seen.size, 1000, "every increment saw a distinct count");
    assert.equal(instances.size, 1, "one instance answered them all");
    // 1,000 records: the owner snapshots the object, so a new owner replays from there.
    const snapshots = await net.substrate.forPop("observer", { region: "virginia" }).bucket(JournalLimits.SNAPSHOT_BUCKET);
    const key = bucketKey({ namespace: namespaceIdOf("do-cluster", "Counter"), id: idFromName(namespaceIdOf("do-cluster", "Counter"), "thousand").toString() });
    await until(async () => (await snapshots.get(key)) !== null, "a snapshot of the object");
  });

  it("ends two PoPs racing to create one id with one instance", async () => {
    for (let round = 0; round < 5; round++) {
      const name = `race-${round}`;
      const answers = await Promise.all(POPS.flatMap((pop) => [call(pop, `/increment?name=${name}`), call(pop, `/increment?name=${name}`)]));
      assert.equal(new Set(answers.map((a) => a.instance)).size, 1, `round ${round}: one instance`);
      assert.deepEqual(answers.map((a) => a.n).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6]);
    }
  });

  it("keeps other events out while blockConcurrencyWhile runs (input gate)", async () => {
    await call("tokyo", "/increment?name=gate");
    const blocking = call("tokyo", "/block?name=gate&ms=200");
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    const read = await call("frankfurt", "/read?name=gate");
    const blocked = (await blocking) as unknown as { blockedUntil: number };
    assert.equal(read.n, 1);
    assert.ok(Date.now() - started >= 100, "the read waited for the block");
    assert.ok(blocked.blockedUntil <= Date.now());
  });

  it("lets events interleave while an object awaits a subrequest, not while it awaits storage", async () => {
    // Both read 0 before either writes: the second event ran during the first one's fetch.
    const both = await Promise.all([call("tokyo", `/across-fetch?name=interleave&url=${encodeURIComponent(slowUrl)}`), call("tokyo", `/across-fetch?name=interleave&url=${encodeURIComponent(slowUrl)}`)]);
    assert.deepEqual(both.map((b) => b.n), [1, 1]);
    // Storage awaits never interleave: 50 concurrent read-modify-writes lose nothing.
    await Promise.all(Array.from({ length: 50 }, () => call("virginia", "/increment?name=no-interleave")));
    assert.equal((await call("tokyo", "/read?name=no-interleave")).n, 50);
  });

  it("forwards stub.fetch with its method and body to the owner", async () => {
    const first = await call("tokyo", "/fetch?name=fetched", { method: "POST", body: "hello" });
    const second = (await call("virginia", "/fetch?name=fetched", { method: "POST", body: "again" })) as Counted & { body: string; method: string };
    assert.equal(second.n, 2);
    assert.equal(second.body, "again");
    assert.equal(second.method, "POST");
    assert.equal(second.instance, first.instance);
  });

  it("fires an alarm once, and retries it after a throw", async () => {
    await call("tokyo", "/alarm?name=alarm-once&in=50");
    await until(async () => (await call("frankfurt", "/read?name=alarm-once")).alarms === 1, "the alarm ran");
    await new Promise((resolve) => setTimeout(resolve, 200));
    const after = await call("virginia", "/read?name=alarm-once");
    assert.equal(after.alarms, 1, "it ran once");
    assert.equal(after.alarm, null, "and was cleared");

    await call("frankfurt", "/alarm?name=alarm-retry&in=10&fail=2");
    await until(async () => (await call("tokyo", "/read?name=alarm-retry")).alarms === 1, "the alarm succeeded on its third attempt");
  });

  it("refuses a storage value over the limit and leaves storage unchanged", async () => {
    await call("tokyo", "/put?name=limits&key=small", { method: "POST", body: "x" });
    const response = await net.fetch("frankfurt", "/put?name=limits&key=big", { method: "POST", body: "x".repeat(200_000) });
    const body = (await response.json()) as { error: string };
    assert.equal(response.status, 500);
    assert.match(body.error, /^RangeError: Durable Object storage put\(\) failed: value of "big" is \d+ bytes, over the limit of 131072/);
    assert.deepEqual(await (await net.fetch("virginia", "/keys?name=limits")).json(), ["small"]);
  });
});
