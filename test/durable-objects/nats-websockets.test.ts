/**
 * Durable Object WebSockets across two `verge pop` processes on a real
 * nats-server: clients attached at either PoP receive each other's
 * broadcasts through the relay, and `kill -9` of the object's PoP ends the
 * other PoP's client sockets with 1011 within the lease, after which a new
 * connection reaches the object re-homed.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { startCluster, type Cluster } from "../support/cluster.js";
import { connect } from "../support/websocket.js";

const WORKER = fileURLToPath(new URL("../fixtures/do-sockets", import.meta.url));
const LEASE_MS = 1500;

describe("Durable Object WebSockets on NATS (two verge pop processes)", () => {
  let cluster: Cluster;
  before(async () => {
    cluster = await startCluster(["tokyo", "frankfurt"], { worker: WORKER, args: ["--object-lease", String(LEASE_MS)] });
  });
  after(() => cluster.close());

  it("gives clients at different PoPs each other's broadcasts", async () => {
    const ann = await connect(cluster.pops.tokyo, "/nats-room/ws?name=ann");
    const bob = await connect(cluster.pops.frankfurt, "/nats-room/ws?name=bob");
    try {
      for (let i = 0; i < 10; i++) (i % 2 ? bob : ann).ws.send(`say ${i}`);
      for (const socket of [ann, bob]) {
        const heard: string[] = [];
        for (let i = 0; i < 10; i++) heard.push(String((await socket.next()).data));
        assert.deepEqual(heard.filter((line) => line.startsWith("ann")), ["ann: 0", "ann: 2", "ann: 4", "ann: 6", "ann: 8"]);
        assert.deepEqual(heard.filter((line) => line.startsWith("bob")), ["bob: 1", "bob: 3", "bob: 5", "bob: 7", "bob: 9"]);
      }
    } finally {
      ann.ws.terminate();
      bob.ws.terminate();
    }
  });

  it("ends the relayed sockets when the object's PoP dies, and the object comes back elsewhere", async () => {
    const owner = await connect(cluster.pops.tokyo, "/fragile/ws?name=near"); // the object lives at tokyo
    const far = await connect(cluster.pops.frankfurt, "/fragile/ws?name=far");
    far.ws.send("say before");
    assert.equal(String((await far.next()).data), "far: before");
    const started = Date.now();
    await cluster.kill9("tokyo");
    const closed = await far.closed;
    assert.equal(closed.code, 1011);
    assert.match(closed.reason, /PoP "tokyo" stopped answering/);
    assert.ok(Date.now() - started < LEASE_MS * 2 + 1000, `ended within the lease (${Date.now() - started} ms)`);
    owner.ws.terminate();
    // The object moves once tokyo's lease runs out.
    const again = await connect(cluster.pops.frankfurt, "/fragile/ws?name=again", undefined, { handshakeMs: LEASE_MS * 2 + 5000 });
    again.ws.send("say after");
    assert.equal(String((await again.next()).data), "again: after");
    again.ws.terminate();
  });
});
