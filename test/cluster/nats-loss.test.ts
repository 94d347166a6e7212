/**
 * @module `verge pop` processes losing NATS: the whole server killed and
 * restarted on its store, one PoP partitioned behind a fault proxy, and a PoP
 * started while NATS is unreachable. Reads go on from the local replicas;
 * writes wait; everything converges once NATS is back.
 */
import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import { kv, startCluster, type Cluster } from "../support/cluster.js";
import { FaultProxy } from "../support/fault-proxy.js";
import { until } from "../support/network.js";

const options = { timeout: 60_000 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** True when `promise` has not settled within `ms`. */
async function stillPending(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const pending = Symbol("pending");
  return (await Promise.race([promise.then(() => null, () => null), sleep(ms).then(() => pending)])) === pending;
}

/** Reads `key` at a PoP `times` times over about `ms`, answering every value seen. */
async function readsOver(get: () => Promise<string | null>, times: number, ms: number): Promise<(string | null)[]> {
  const seen: (string | null)[] = [];
  for (let i = 0; i < times; i++) {
    seen.push(await get());
    await sleep(ms / times);
  }
  return seen;
}

describe("verge pop without NATS", () => {
  let cluster: Cluster | undefined;
  let proxy: FaultProxy | undefined;
  afterEach(async () => {
    await cluster?.close();
    await proxy?.close();
    cluster = proxy = undefined;
  });

  test("nats-server killed: PoPs keep answering reads; after its restart, writes flow again and the waiting one lands", options, async () => {
    cluster = await startCluster(["tokyo", "frankfurt"]);
    const { nats } = cluster;
    const tokyo = kv(cluster.pops.tokyo);
    const frankfurt = kv(cluster.pops.frankfurt);
    await tokyo.put("menu", "v1");
    await until(async () => (await frankfurt.get("menu")) === "v1", "v1 at frankfurt");

    await nats.kill();
    await until(async () => /lost NATS/.test(cluster!.output("frankfurt")), "frankfurt says it lost NATS");
    assert.deepEqual(await readsOver(() => frankfurt.get("menu"), 5, 500), ["v1", "v1", "v1", "v1", "v1"]);
    assert.equal(await tokyo.get("menu"), "v1");
    const waiting = tokyo.put("during", "written while NATS was down");
    assert.ok(await stillPending(waiting, 500), "a write without NATS waits for it");

    await nats.restart(); // Same port, same store directory.
    await waiting;
    for (const name of ["tokyo", "frankfurt"]) await until(async () => /reconnected to NATS/.test(cluster!.output(name)), `${name} says it is back`, 10_000);
    await until(async () => (await frankfurt.get("during")) === "written while NATS was down", "the waiting write at frankfurt", 10_000);
    await tokyo.put("menu", "v2");
    await until(async () => (await frankfurt.get("menu")) === "v2", "v2 at frankfurt");
    await frankfurt.put("reply", "from frankfurt");
    await until(async () => (await tokyo.get("reply")) === "from frankfurt", "frankfurt's write at tokyo");
  });

  test("a partitioned PoP serves stale data, its own writes wait, and it converges after the partition heals", options, async () => {
    cluster = await startCluster(["tokyo"]);
    proxy = await FaultProxy.start(cluster.nats.port);
    const tokyo = kv(cluster.pops.tokyo);
    const frankfurt = kv(await cluster.start("frankfurt", { nats: `nats://127.0.0.1:${proxy.port}` }));
    await tokyo.put("price", "10");
    await until(async () => (await frankfurt.get("price")) === "10", "the price at frankfurt");

    proxy.cut();
    await proxy.nextRefused(); // frankfurt noticed and is trying to reconnect.
    await tokyo.put("price", "12");
    await tokyo.put("new-item", "lamp");
    assert.deepEqual(await readsOver(() => frankfurt.get("price"), 5, 500), ["10", "10", "10", "10", "10"], "stale reads from frankfurt's replica");
    assert.equal(await frankfurt.get("new-item"), null);
    const waiting = frankfurt.put("order", "from frankfurt, during the partition");
    assert.ok(await stillPending(waiting, 300), "a write at a partitioned PoP waits");

    proxy.heal();
    await waiting;
    await until(async () => (await frankfurt.get("price")) === "12" && (await frankfurt.get("new-item")) === "lamp", "frankfurt converges", 10_000);
    await until(async () => (await tokyo.get("order")) === "from frankfurt, during the partition", "frankfurt's write at tokyo");
    assert.match(cluster.output("frankfurt"), /lost NATS[^\n]*\n[\s\S]*reconnected to NATS/);
  });

  test("a PoP started while NATS is unreachable serves, says it is waiting, and joins once NATS is reachable", options, async () => {
    cluster = await startCluster(["tokyo"]);
    const tokyo = kv(cluster.pops.tokyo);
    await tokyo.put("welcome", "hi");
    proxy = await FaultProxy.start(cluster.nats.port);
    proxy.cut();
    const late = await cluster.start("virginia", { nats: `nats://127.0.0.1:${proxy.port}` });
    const virginia = kv(late);
    assert.equal(await virginia.get("welcome"), null, "an empty replica answers: not found");
    await until(async () => /waiting for NATS at nats:\/\/127\.0\.0\.1:\d+ \(not reachable/.test(cluster!.output("virginia")), "the waiting line", 5000);
    proxy.heal();
    await until(async () => /connected to NATS/.test(cluster!.output("virginia")), "the connected line", 10_000);
    await until(async () => (await virginia.get("welcome")) === "hi", "virginia catches up", 10_000);
    await virginia.put("joined", "yes");
    await until(async () => (await tokyo.get("joined")) === "yes", "virginia's write at tokyo");
  });
});
