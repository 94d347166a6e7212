/**
 * Durable Objects over a network with the latency model on: the output gate
 * holds a reply until its writes reach the store; idle objects are evicted
 * and come back with their storage; an alarm survives eviction.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Directory } from "../../src/bindings/durable-objects/directory/index.js";
import { namespaceIdOf } from "../../src/bindings/durable-objects/config.js";
import { idFromName } from "../../src/bindings/durable-objects/ids.js";
import { rttMs } from "../../src/regions/index.js";
import { startNetwork, until, type Network } from "../support/network.js";

const FIXTURE = join(import.meta.dirname, "../fixtures/do-cluster");
const SCALE = 0.2;
const NAMESPACE = namespaceIdOf("do-cluster", "Counter");

interface Counted {
  n: number;
  instance: string;
  alarms: number;
}

describe("Durable Object gates and lifecycle (latency model at 0.2)", () => {
  let net: Network;
  const call = async (pop: string, path: string): Promise<Counted> => {
    const response = await net.fetch(pop, path);
    const body = (await response.json()) as Counted;
    assert.equal(response.status, 200, JSON.stringify(body));
    return body;
  };
  const timed = async (pop: string, path: string) => {
    const started = performance.now();
    await call(pop, path);
    return performance.now() - started;
  };

  /** The live owner of the fixture's Counter called `name`, read from the directory bucket. */
  const lookupOwner = async (name: string): Promise<string | null> => {
    const view = net.substrate.forPop("observer", { region: "virginia" });
    const directory = await Directory.open(view);
    try {
      const owner = await directory.lookup({ namespace: NAMESPACE, id: idFromName(NAMESPACE, name).toString() }, { fresh: true });
      return owner && directory.isLive(owner) ? owner.pop : null;
    } finally {
      await directory.close();
    }
  };

  before(async () => {
    net = await startNetwork(FIXTURE, ["tokyo", "virginia"], SCALE, {}, "virginia", { bindings: { durableObjects: { idleMs: 150, releaseMs: 1000 } } });
  });
  after(() => net.close());

  it("holds a reply until the writes before it are durable at the store (output gate)", async () => {
    await call("tokyo", "/increment?name=gated"); // claimed at tokyo, far from the store in virginia
    const storeRtt = rttMs("tokyo", "virginia") * SCALE;
    const writes: number[] = [];
    const reads: number[] = [];
    for (let i = 0; i < 5; i++) {
      writes.push(await timed("tokyo", "/increment?name=gated"));
      reads.push(await timed("tokyo", "/read?name=gated"));
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[2];
    assert.ok(median(writes) >= storeRtt, `a write waits a round trip to the store: ${median(writes).toFixed(1)} ms >= ${storeRtt} ms`);
    assert.ok(median(reads) < storeRtt, `a read does not: ${median(reads).toFixed(1)} ms < ${storeRtt} ms`);
  });

  it("evicts an idle object and constructs it again with its storage intact", async () => {
    const first = await call("virginia", "/increment?name=idle");
    await new Promise((resolve) => setTimeout(resolve, 600));
    const second = await call("virginia", "/increment?name=idle");
    assert.notEqual(second.instance, first.instance, "the constructor ran again");
    assert.equal(second.n, 2);
  });

  it("releases an object idle for long, which then moves to the next PoP that needs it, storage intact", async () => {
    const first = await call("virginia", "/increment?name=released");
    const started = performance.now();
    await until(async () => (await lookupOwner("released")) === null, "the owner released it", 4000);
    assert.ok(performance.now() - started >= 500, "not before it was idle for the release time");
    const moved = await call("tokyo", "/increment?name=released");
    assert.equal(moved.n, first.n + 1);
    assert.equal(await lookupOwner("released"), "tokyo");
  });

  it("fires an alarm set before the object was evicted", async () => {
    await call("virginia", "/alarm?name=evicted-alarm&in=700");
    await new Promise((resolve) => setTimeout(resolve, 400)); // idle for longer than idleMs: evicted
    await until(async () => (await call("tokyo", "/read?name=evicted-alarm")).alarms === 1, "the alarm ran after eviction", 3000);
  });
});
