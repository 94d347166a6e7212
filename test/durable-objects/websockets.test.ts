/**
 * WebSockets held by Durable Objects on an embedded network of three PoPs
 * (latency model at 0.2): clients attached at different PoPs receive each
 * other's broadcasts; hibernated sockets wake an evicted object with their
 * tags and attachments; a socket accepted with accept() keeps its instance;
 * outgoing messages wait for the writes before them; closes reach both
 * sides; lost relay frames and a departing PoP end sockets visibly; bad tags
 * and attachments get clear errors.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { rttMs } from "../../src/regions/index.js";
import { startNetwork, until, type Network } from "../support/network.js";
import { connect, UnexpectedResponse, type TestSocket } from "../support/websocket.js";

const FIXTURE = join(import.meta.dirname, "../fixtures/do-sockets");
const SCALE = 0.2;
const IDLE_MS = 150;

interface Stats {
  constructions: number;
  sockets: string[];
  closes: [name: string, code: number, reason: string, wasClean: boolean][];
  closedAccept: number | null;
}

async function ask(socket: TestSocket, text: string): Promise<string> {
  socket.ws.send(text);
  return String((await socket.next()).data);
}

describe("Durable Object WebSockets across three PoPs", () => {
  let net: Network;
  const open: TestSocket[] = [];
  const join_ = async (pop: string, path: string) => {
    const socket = await connect(net.pops[pop], path);
    open.push(socket);
    return socket;
  };
  const stats = async (room: string, tag?: string): Promise<Stats> => {
    const response = await net.fetch("virginia", `/${room}/stats${tag ? `?tag=${tag}` : ""}`);
    assert.equal(response.status, 200);
    return (await response.json()) as Stats;
  };

  before(async () => {
    net = await startNetwork(FIXTURE, ["tokyo", "frankfurt", "virginia"], SCALE, {}, "virginia", { bindings: { durableObjects: { idleMs: IDLE_MS } } });
  });
  after(async () => {
    for (const socket of open) socket.ws.terminate();
    await net.close();
  });

  it("gives clients attached at different PoPs each other's broadcasts", async () => {
    const ann = await join_("tokyo", "/lobby/ws?name=ann");
    const bob = await join_("frankfurt", "/lobby/ws?name=bob");
    const cat = await join_("virginia", "/lobby/ws?name=cat");
    // The object's 101 headers reach the client; the PoP's own are the client's PoP's.
    assert.equal(ann.upgrade.headers["x-room"], "lobby");
    assert.equal(bob.upgrade.headers["x-verge-pop"], "frankfurt");
    for (const [socket, name] of [[ann, "ann"], [bob, "bob"], [cat, "cat"]] as const) socket.ws.send(`say hello from ${name}`);
    for (const socket of [ann, bob, cat]) {
      const heard = await Promise.all([0, 1, 2].map(async () => String((await socket.next()).data)));
      assert.deepEqual(heard.sort(), ["ann: hello from ann", "bob: hello from bob", "cat: hello from cat"]);
    }
    // Order holds per sender, through the relay.
    for (let i = 0; i < 20; i++) bob.ws.send(`say ${i}`);
    const atAnn: string[] = [];
    for (let i = 0; i < 20; i++) atAnn.push(String((await ann.next()).data));
    assert.deepEqual(atAnn, Array.from({ length: 20 }, (_, i) => `bob: ${i}`));
    for (const socket of [bob, cat]) for (let i = 0; i < 20; i++) await socket.next();
    // Binary frames arrive as bytes.
    bob.ws.send(new Uint8Array([1, 2, 3]));
    assert.equal(String((await bob.next()).data), "unknown bytes 3");
    assert.deepEqual((await stats("lobby")).sockets, ["ann", "bob", "cat"]);
  });

  it("wakes an evicted object for a hibernated socket's message, with its tags and attachment", async () => {
    const dan = await join_("frankfurt", '/quiet/ws?name=dan&tags=["red","blue"]');
    const eve = await join_("tokyo", '/quiet/ws?name=eve&tags=["red"]');
    const before = await stats("quiet");
    // Idle for several sweeps: the instance is evicted while its sockets stay open.
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS * 4));
    assert.equal(await ask(dan, "who"), "dan red,blue");
    assert.equal(await ask(eve, "say awake"), "eve: awake");
    assert.equal(String((await dan.next()).data), "eve: awake");
    const after = await stats("quiet");
    assert.equal(after.constructions, before.constructions + 1, "the constructor ran again once");
    assert.deepEqual(after.sockets, ["dan", "eve"]);
    assert.deepEqual((await stats("quiet", "blue")).sockets, ["dan"]);
  });

  it("keeps the instance of an object holding a socket accepted with accept()", async () => {
    const echo = await join_("tokyo", "/awake/ws?mode=accept");
    assert.equal(await ask(echo, "one"), "echo one");
    const before = await stats("awake");
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS * 4));
    assert.equal(await ask(echo, "two"), "echo two");
    assert.equal((await stats("awake")).constructions, before.constructions, "not evicted");
    echo.ws.close(1000);
    await echo.closed;
    await until(async () => (await stats("awake")).closedAccept === 1000, "the accept()ed end's close listener");
  });

  it("holds an outgoing message until the writes before it are durable (output gate)", async () => {
    const far = await join_("tokyo", "/gated/ws?name=far"); // claimed at tokyo, far from the store in virginia
    const storeRtt = rttMs("tokyo", "virginia") * SCALE;
    const time = async (text: string) => {
      const started = performance.now();
      await ask(far, text);
      return performance.now() - started;
    };
    const writes: number[] = [];
    const reads: number[] = [];
    for (let i = 0; i < 5; i++) {
      writes.push(await time(`put k${i}`));
      reads.push(await time("get"));
    }
    const median = (values: number[]) => values.sort((a, b) => a - b)[2];
    assert.ok(median(writes) >= storeRtt * 0.8, `a write's answer waits for the store: median ${median(writes).toFixed(1)} ms, store round trip ${storeRtt.toFixed(1)} ms`);
    assert.ok(median(reads) < storeRtt / 2, `a read's answer does not: median ${median(reads).toFixed(1)} ms`);
  });

  it("carries closes both ways, and a vanished client's as 1006", async () => {
    const fay = await join_("frankfurt", "/doors/ws?name=fay");
    const gus = await join_("virginia", "/doors/ws?name=gus");
    const hal = await join_("tokyo", "/doors/ws?name=hal");
    fay.ws.send("bye");
    assert.deepEqual(await fay.closed, { code: 4000, reason: "bye" });
    gus.ws.close(1000, "done");
    assert.deepEqual(await gus.closed, { code: 1000, reason: "done" });
    hal.ws.terminate();
    await until(async () => (await stats("doors")).closes.length === 3, "three closes at the object");
    const closes = (await stats("doors")).closes.sort();
    assert.deepEqual(closes[0], ["fay", 4000, "bye", true]);
    assert.deepEqual(closes[1], ["gus", 1000, "done", true]);
    assert.deepEqual([closes[2][0], closes[2][1], closes[2][3]], ["hal", 1006, false]);
    assert.deepEqual((await stats("doors")).sockets, []);
  });

  it("ends a relayed socket with 1011 when frames between PoPs were lost", async () => {
    const here = await join_("virginia", "/lossy/ws?name=here"); // the object lives at virginia
    const there = await join_("tokyo", "/lossy/ws?name=there");
    assert.equal(await ask(there, "who"), "there all");
    net.substrate.partition("tokyo", "virginia");
    there.ws.send("say lost");
    await new Promise((resolve) => setTimeout(resolve, rttMs("tokyo", "virginia") * SCALE * 2));
    net.substrate.heal("tokyo", "virginia");
    there.ws.send("say after");
    const closed = await there.closed;
    assert.equal(closed.code, 1011);
    assert.match(closed.reason, /frames between PoPs were lost/);
    // Nothing of the lost or later frames was taken for a message.
    here.ws.send("say still here");
    assert.equal(String((await here.next()).data), "here: still here");
  });

  it("refuses bad tags and attachments with errors naming them", async () => {
    const refused = async (path: string) => {
      const error = await connect(net.pops.tokyo, path).then(
        () => assert.fail(`${path} was accepted`),
        (error: unknown) => error,
      );
      assert.ok(error instanceof UnexpectedResponse, String(error));
      assert.equal(error.status, 500);
      return error.body;
    };
    assert.match(await refused("/bad/ws?tags=%22red%22"), /^TypeError: acceptWebSocket\(\) tags must be an array of strings: received string/);
    assert.match(await refused(`/bad/ws?tags=${encodeURIComponent(JSON.stringify(Array.from({ length: 11 }, (_, i) => `t${i}`)))}`), /^RangeError: acceptWebSocket\(\) takes at most 10 tags: received 11/);
    assert.match(await refused(`/bad/ws?tags=${encodeURIComponent(JSON.stringify(["x".repeat(257)]))}`), /^RangeError: A WebSocket tag must be 1 to 256 characters: received a tag of 257/);
    assert.match(await refused("/bad/ws?pad=3000"), /^RangeError: WebSocket attachment is too large: \d+ bytes serialized \(the limit is 2048\)/);
    assert.deepEqual((await stats("bad")).sockets, [], "no socket was left open");
  });
});

describe("a PoP that shuts down with clients of an object elsewhere", () => {
  it("closes its clients with 1001, and the object hears of it", async () => {
    const net = await startNetwork(FIXTURE, ["tokyo", "frankfurt"], 0.05);
    try {
      const owner = await connect(net.pops.tokyo, "/leaving/ws?name=stays");
      const leaver = await connect(net.pops.frankfurt, "/leaving/ws?name=goes");
      assert.equal(await ask(leaver, "who"), "goes all");
      await net.pops.frankfurt.close(1000);
      delete net.pops.frankfurt; // closed once
      assert.equal((await leaver.closed).code, 1001);
      const closes = async () => ((await (await net.fetch("tokyo", "/leaving/stats")).json()) as Stats).closes;
      await until(async () => (await closes()).length === 1, "the object learns the client is gone");
      assert.deepEqual((await closes())[0].slice(0, 2), ["goes", 1001]);
      assert.equal(await ask(owner, "say alone"), "stays: alone");
      owner.ws.terminate();
    } finally {
      await net.close();
    }
  });
});
