/**
 * Durable Objects at one PoP without a substrate: the API end to end (ids,
 * stubs, fetch, RPC, storage, gates), in memory.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestPop, type TestPop } from "../support/pop.js";

const COUNTER = `
import { DurableObject } from "cloudflare:workers";
export class Counter extends DurableObject {
  constructor(ctx, env) { super(ctx, env); this.constructed = (globalThis.constructions = (globalThis.constructions ?? 0) + 1); }
  async fetch(request) {
    const url = new URL(request.url);
    let n = (await this.ctx.storage.get("n")) ?? 0;
    if (request.method === "POST") await this.ctx.storage.put("n", ++n);
    return Response.json({ n, id: this.ctx.id.toString(), name: this.ctx.id.name, path: url.pathname });
  }
  async increment(by = 1) {
    const n = ((await this.ctx.storage.get("n")) ?? 0) + by;
    await this.ctx.storage.put("n", n);
    return n;
  }
  echo(value) { return value; }
  fail(message) { throw new RangeError(message); }
  returnsFunction() { return () => 1; }
}
export class Sockets extends DurableObject {
  fetch() {
    const [client, server] = Object.values(new WebSocketPair());
    server.accept();
    return new Response(null, { status: 101, webSocket: client });
  }
}
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const name = url.searchParams.get("name") ?? "a";
    const stub = env.COUNTER.get(env.COUNTER.idFromName(name));
    switch (url.pathname) {
      case "/fetch": return stub.fetch("https://object" + url.pathname, { method: request.method });
      case "/rpc": return Response.json(await stub.increment(Number(url.searchParams.get("by") ?? 1)));
      case "/echo": {
        const out = await stub.echo({ map: new Map([[1, "one"]]), date: new Date(5), bytes: new Uint8Array([1, 2]) });
        return Response.json({ map: out.map instanceof Map && out.map.get(1), date: out.date instanceof Date && out.date.getTime(), bytes: [...out.bytes] });
      }
      case "/errors": {
        const results = {};
        for (const [label, run] of Object.entries({
          thrown: () => stub.fail("too far"),
          unknown: () => stub.noSuchMethod(),
          inherited: () => stub.hasOwnProperty("n"),
          badArg: () => stub.echo(() => 1),
          badResult: () => stub.returnsFunction(),
          badId: async () => env.COUNTER.idFromString("zz"),
          forged: async () => env.COUNTER.idFromString("1".repeat(64)),
          socket: async () => (await env.SOCKETS.get(env.SOCKETS.idFromName("s")).fetch("https://object/")).webSocket.accept(),
          badHint: async () => env.COUNTER.get(env.COUNTER.idFromName("x"), { locationHint: "mars" }).increment(),
        })) {
          try { await run(); results[label] = "no error"; } catch (error) { results[label] = error.name + ": " + error.message; }
        }
        return Response.json(results);
      }
      case "/ids": {
        const a = env.COUNTER.idFromName("x"), b = env.COUNTER.idFromName("x"), u = env.COUNTER.newUniqueId();
        return Response.json({ same: a.equals(b), hex: a.toString(), name: a.name, unique: u.toString() !== a.toString(), back: env.COUNTER.idFromString(u.toString()).equals(u) });
      }
    }
    return new Response("not found", { status: 404 });
  },
};
`;

const binding = { name: "COUNTER", kind: "durable_object", config: { className: "Counter", namespaceId: "counter-Counter" } };
const sockets = { name: "SOCKETS", kind: "durable_object", config: { className: "Sockets", namespaceId: "counter-Sockets" } };

describe("Durable Objects at a lone PoP", () => {
  let pop: TestPop;
  before(async () => {
    pop = await startTestPop([{ name: "counter", source: COUNTER, bindings: [binding, sockets] }]);
  });
  after(() => pop.close());

  it("routes stub.fetch to the object, which keeps its storage", async () => {
    for (let i = 1; i <= 3; i++) {
      const body = (await (await pop.fetch("/fetch?name=a", { method: "POST" })).json()) as { n: number; name: string; path: string };
      assert.equal(body.n, i);
      assert.equal(body.name, "a");
      assert.equal(body.path, "/fetch");
    }
    const other = (await (await pop.fetch("/fetch?name=b", { method: "POST" })).json()) as { n: number };
    assert.equal(other.n, 1);
  });

  it("calls methods over RPC with structured-cloned arguments and results", async () => {
    assert.equal(await (await pop.fetch("/rpc?name=r&by=5")).json(), 5);
    assert.equal(await (await pop.fetch("/rpc?name=r&by=2")).json(), 7);
    assert.deepEqual(await (await pop.fetch("/echo")).json(), { map: "one", date: 5, bytes: [1, 2] });
  });

  it("makes ids as Workers does", async () => {
    const ids = (await (await pop.fetch("/ids")).json()) as Record<string, unknown>;
    assert.equal(ids.same, true);
    assert.match(String(ids.hex), /^[0-9a-f]{64}$/);
    assert.equal(ids.name, "x");
    assert.equal(ids.unique, true);
    assert.equal(ids.back, true);
  });

  it("gives bad calls clear errors", async () => {
    const errors = (await (await pop.fetch("/errors")).json()) as Record<string, string>;
    assert.equal(errors.thrown, "RangeError: too far");
    assert.match(errors.unknown, /has no method "noSuchMethod"/);
    assert.match(errors.inherited, /has no method "hasOwnProperty"/);
    assert.match(errors.badArg, /could not be cloned/);
    assert.match(errors.badResult, /could not be cloned/);
    assert.match(errors.badId, /Invalid Durable Object id: received "zz"/);
    assert.match(errors.forged, /Invalid Durable Object id/);
    assert.match(errors.badHint, /Unknown locationHint "mars"/);
    assert.match(errors.socket, /^TypeError: This WebSocket is a Durable Object's, answered to stub.fetch\(\): return it in a Response/);
  });
});

describe("a Durable Object binding whose class the worker does not export", () => {
  it("stops the worker at start-up with a message naming the binding and the class", async () => {
    const source = `export default { fetch() { return new Response("never"); } };`;
    const pop = await startTestPop([{ name: "missing", source, bindings: [{ name: "ROOMS", kind: "durable_object", config: { className: "ChatRoom", namespaceId: "missing-ChatRoom" } }] }]);
    try {
      const response = await pop.fetch("/");
      assert.equal(response.status, 500);
      const log = pop.logs.at(-1)?.logs.map((line) => line.message).join("\n") ?? "";
      assert.match(log, /env\.ROOMS: the worker does not export the Durable Object class "ChatRoom" that durable_objects\.bindings names/);
    } finally {
      await pop.close();
    }
  });
});
