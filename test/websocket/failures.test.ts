/** @module WebSockets whose worker fails: a handler that throws, one over its CPU limit, a message over 1 MiB, CPU per event. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startTestPop, type TestPop } from "../support/pop.js";
import { connect, eventually } from "../support/websocket.js";

const faultyWorker = `
const closes = [];
let sockets = 0;
export default {
  fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/closes") return Response.json(closes);
    if (url.pathname === "/sockets") return new Response(String(sockets));
    const [client, server] = Object.values(new WebSocketPair());
    sockets++;
    server.accept();
    server.addEventListener("message", (event) => {
      if (event.data === "throw") throw new Error("handler broke on purpose");
      if (event.data === "spin") for (;;) {}
      if (event.data === "work") {
        // About 10 to 20 ms of CPU (performance.now() is frozen during an entry, so this counts work, not time).
        let spins = 0;
        for (let i = 0; i < 1.2e7; i++) spins += i % 7;
        return server.send("worked " + (spins > 0));
      }
      server.send("ok " + (typeof event.data === "string" ? event.data : event.data.byteLength));
    });
    server.addEventListener("error", (event) => closes.push({ id: url.searchParams.get("id"), error: event.message }));
    server.addEventListener("close", (event) => closes.push({ id: url.searchParams.get("id"), code: event.code }));
    return new Response(null, { status: 101, webSocket: client });
  },
};`;

let pop: TestPop;
before(async () => {
  pop = await startTestPop([
    { name: "faulty", routes: ["faulty.test/*"], source: faultyWorker },
    { name: "neighbour", routes: ["neighbour.test/*"], source: `export default { fetch() { return new Response("neighbour ok"); } }` },
  ]);
});
after(() => pop.close());

test("a message handler that throws: the client gets 1011 and the error is logged", async () => {
  const socket = await connect(pop, "/", "faulty.test");
  socket.ws.send("throw");
  const closed = await socket.closed;
  assert.equal(closed.code, 1011);
  assert.equal(closed.reason, "The worker threw an exception");
  const log = await eventually(async () => pop.logs.find((entry) => entry.worker === "faulty" && entry.status === 101), Boolean, "the request log");
  assert.match(JSON.stringify(log!.logs), /Uncaught Error: handler broke on purpose/);
});

test("a message handler over its CPU limit: the client gets 1011, a neighbour keeps answering, the worker starts afresh", async () => {
  const bystander = await connect(pop, "/", "faulty.test");
  const socket = await connect(pop, "/", "faulty.test");
  socket.ws.send("spin");
  const closed = await socket.closed;
  assert.equal(closed.code, 1011);
  assert.match(closed.reason, /CPU time limit of 50 ms/);
  // Every socket on the killed isolate closes with it.
  assert.equal((await bystander.closed).code, 1011);
  assert.equal(await (await pop.fetch("/", { host: "neighbour.test" })).text(), "neighbour ok");
  assert.equal(await (await pop.fetch("/sockets", { host: "faulty.test" })).text(), "0", "a new isolate");
  const again = await connect(pop, "/", "faulty.test");
  again.ws.send("fine");
  assert.equal((await again.next()).data, "ok fine");
  again.ws.close();
  await again.closed;
});

test("each event gets a fresh CPU budget: a long-lived socket may use more CPU in all than one request may", async () => {
  const socket = await connect(pop, "/", "faulty.test");
  const started = pop.logs.length;
  for (let i = 0; i < 10; i++) {
    socket.ws.send("work");
    assert.equal((await socket.next()).data, "worked true");
  }
  socket.ws.close();
  await socket.closed;
  const log = await eventually(async () => pop.logs.slice(started).find((entry) => entry.worker === "faulty" && entry.status === 101), Boolean, "the request log");
  assert.ok(log!.cpuMs > 50, `the socket used ${log!.cpuMs} ms of CPU in all, more than one request's 50 ms`);
});

test("a message over 1 MiB from the client: closed with 1009; the worker gets an error, then a close that was not clean", async () => {
  const socket = await connect(pop, "/?id=big", "faulty.test");
  socket.ws.send(Buffer.alloc(1024 * 1024 + 1));
  const closed = await socket.closed;
  assert.equal(closed.code, 1009);
  const records = await eventually(
    async () => ((await (await pop.fetch("/closes", { host: "faulty.test" })).json()) as { id: string }[]).filter((record) => record.id === "big"),
    (list) => list.length === 2,
    "the worker's error and close events",
  );
  assert.match(JSON.stringify(records[0]), /Max payload size exceeded/);
  // The PoP stops reading at the oversized frame, so the client's reply to its 1009 is never read.
  assert.equal((records[1] as unknown as { code: number }).code, 1006);
  // Exactly 1 MiB is allowed.
  const fits = await connect(pop, "/", "faulty.test");
  fits.ws.send(Buffer.alloc(1024 * 1024));
  assert.equal((await fits.next()).data, "ok 1048576");
  fits.ws.close();
  await fits.closed;
});
