/** @module WebSockets through a real PoP: echo, the close handshake both ways, buffering before accept(), disconnects, non-101 answers. */
import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, test } from "node:test";
import { startTestPop, type TestPop } from "../support/pop.js";
import { connect, eventually, UnexpectedResponse } from "../support/websocket.js";

const echoWorker = `
const closes = [];
let kept = null;
export default {
  fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/closes") return Response.json(closes);
    if (url.pathname === "/force") return new Response(null, { status: 101, webSocket: new WebSocketPair()[0] });
    if (url.pathname === "/again") return new Response(null, { status: 101, webSocket: kept });
    if (request.headers.get("Upgrade") !== "websocket") return new Response("expected websocket", { status: 426 });
    const [client, server] = Object.values(new WebSocketPair());
    if (url.pathname === "/keep") kept = client;
    if (url.pathname === "/late-accept") {
      setTimeout(() => {
        server.accept();
        server.addEventListener("message", (event) => server.send("late " + event.data));
      }, 100);
      return new Response(null, { status: 101, webSocket: client });
    }
    server.accept();
    if (url.pathname === "/hello") server.send("hello before the response");
    server.onmessage = (event) => {
      if (typeof event.data !== "string") return server.send(event.data instanceof ArrayBuffer ? new Uint8Array(event.data).reverse() : "not an ArrayBuffer");
      if (event.data.startsWith("close:")) {
        const [, code, reason] = event.data.split(":");
        return server.close(Number(code), reason);
      }
      server.send("echo " + event.data);
    };
    server.addEventListener("close", (event) => {
      closes.push({ id: url.searchParams.get("id"), code: event.code, reason: event.reason, wasClean: event.wasClean, state: server.readyState });
      server.close(event.code, "bye");
    });
    return new Response(null, { status: 101, webSocket: client, headers: { "x-worker": "yes", "sec-websocket-protocol": request.headers.get("sec-websocket-protocol") ?? "" } });
  },
};`;

const plainWorker = `export default { async fetch(request) { return new Response(request.method + " " + new URL(request.url).pathname + " " + (await request.text())); } };`;

let pop: TestPop;
before(async () => {
  pop = await startTestPop([
    { name: "echo", routes: ["echo.test/*"], source: echoWorker },
    { name: "plain", routes: ["plain.test/*"], source: plainWorker },
  ]);
});
after(() => pop.close());

type CloseRecord = { id: string; code: number; reason: string; wasClean: boolean; state: number };
const closesOf = async (id: string) => {
  const records = (await (await pop.fetch("/closes", { host: "echo.test" })).json()) as CloseRecord[];
  return records.filter((record) => record.id === id);
};

test("text and binary messages are echoed; binary ones reach the worker as ArrayBuffers", async () => {
  const socket = await connect(pop, "/", "echo.test");
  assert.equal(socket.upgrade.statusCode, 101);
  assert.equal(socket.upgrade.headers["x-verge-pop"], "test");
  assert.match(String(socket.upgrade.headers["x-verge-ray"]), /-test$/);
  assert.equal(socket.upgrade.headers["x-worker"], "yes");
  socket.ws.send("hi");
  assert.deepEqual(await socket.next(), { data: "echo hi", binary: false });
  socket.ws.send(Buffer.from([1, 2, 3]));
  const binary = await socket.next();
  assert.equal(binary.binary, true);
  assert.deepEqual([...(binary.data as Buffer)], [3, 2, 1]);
  socket.ws.send("ünïcödé ✓");
  assert.equal((await socket.next()).data, "echo ünïcödé ✓");
  socket.ws.close();
  await socket.closed;
  const log = pop.logs.find((entry) => entry.worker === "echo" && entry.status === 101);
  assert.ok(log, "the socket's request is logged with status 101 once it closed");
  assert.equal(log.outcome, "websocket");
});

test("the worker closes with a code and reason; the client's reply reaches its close handler", async () => {
  const socket = await connect(pop, "/?id=worker-closes", "echo.test");
  socket.ws.send("close:4001:done here");
  assert.deepEqual(await socket.closed, { code: 4001, reason: "done here" });
  const [record] = await eventually(() => closesOf("worker-closes"), (records) => records.length === 1, "the worker's close event");
  assert.deepEqual(record, { id: "worker-closes", code: 4001, reason: "done here", wasClean: true, state: 3 });
});

test("the client closes with a code and reason; the worker's close event has them, with readyState CLOSED", async () => {
  const socket = await connect(pop, "/?id=client-closes", "echo.test");
  socket.ws.close(4002, "client bye");
  assert.equal((await socket.closed).code, 4002);
  const [record] = await eventually(() => closesOf("client-closes"), (records) => records.length === 1, "the worker's close event");
  assert.deepEqual(record, { id: "client-closes", code: 4002, reason: "client bye", wasClean: true, state: 3 });
});

test("a client that disconnects without a close frame: the worker's close handler runs with 1006", async () => {
  const socket = await connect(pop, "/?id=gone", "echo.test");
  socket.ws.send("ping");
  await socket.next();
  socket.ws.terminate();
  const [record] = await eventually(() => closesOf("gone"), (records) => records.length === 1, "the worker's close event");
  assert.deepEqual(record, { id: "gone", code: 1006, reason: "", wasClean: false, state: 3 });
});

test("messages that arrive before accept() are delivered after it, in order", async () => {
  const socket = await connect(pop, "/late-accept", "echo.test");
  for (const word of ["one", "two", "three"]) socket.ws.send(word);
  assert.equal((await socket.next()).data, "late one");
  assert.equal((await socket.next()).data, "late two");
  assert.equal((await socket.next()).data, "late three");
  socket.ws.close();
  await socket.closed;
});

test("what the worker sends before returning its Response reaches the client first", async () => {
  const socket = await connect(pop, "/hello", "echo.test");
  assert.equal((await socket.next()).data, "hello before the response");
  socket.ws.close();
  await socket.closed;
});

test("the worker's Sec-WebSocket-Protocol chooses the subprotocol", async () => {
  const socket = await connect(pop, "/", "echo.test", { protocols: ["chat.v2"] });
  assert.equal(socket.ws.protocol, "chat.v2");
  socket.ws.close();
  await socket.closed;
});

test("a non-101 answer to an upgrade reaches the client as an HTTP response, and platform errors are raw HTTP too", async () => {
  const refused = await connect(pop, "/", "plain.test").catch((error: unknown) => error);
  assert.ok(refused instanceof UnexpectedResponse, String(refused));
  assert.equal(refused.status, 200);
  assert.equal(refused.body, "GET / ");
  assert.equal(refused.headers["x-verge-pop"], "test");
  assert.equal(refused.headers.connection, "close");
  const unrouted = await connect(pop, "/", "nowhere.test").catch((error: unknown) => error);
  assert.ok(unrouted instanceof UnexpectedResponse, String(unrouted));
  assert.equal(unrouted.status, 404);
  assert.equal(unrouted.headers["x-verge-error"], "no_route");
  assert.match(unrouted.body, /nowhere\.test/);
  // The echo worker's own refusal of a plain request still works.
  const res = await pop.fetch("/", { host: "echo.test" });
  assert.equal(res.status, 426);
  assert.equal(await res.text(), "expected websocket");
});

test("a WebSocket returned to a request that did not ask to upgrade is a 500 naming the header", async () => {
  const res = await pop.fetch("/force", { host: "echo.test" });
  assert.equal(res.status, 500);
  const body = (await res.json()) as { error: { code: string; message: string } };
  assert.equal(body.error.code, "worker_threw_exception");
  assert.match(body.error.message, /Upgrade: websocket/);
});

test("a WebSocket already returned in one Response cannot be returned again", async () => {
  const first = await connect(pop, "/keep", "echo.test");
  const second = await connect(pop, "/again", "echo.test").catch((error: unknown) => error);
  assert.ok(second instanceof UnexpectedResponse, String(second));
  assert.equal(second.status, 500);
  const log = pop.logs.findLast((entry) => entry.path === "/again");
  assert.match(JSON.stringify(log?.logs), /already returned in a Response/);
  first.ws.close();
  await first.closed;
});

test("other upgrades (h2c) are served as the plain requests they were, body and all", async () => {
  const answer = await new Promise<string>((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: pop.pop.port, method: "POST", path: "/upload", headers: { host: "plain.test", connection: "Upgrade, HTTP2-Settings", upgrade: "h2c", "http2-settings": "AAMAAABkAARAAAAAAAIAAAAA", "transfer-encoding": "chunked" } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve(`${res.statusCode} ${body}`));
    });
    req.on("error", reject);
    req.on("upgrade", () => reject(new Error("upgraded")));
    req.write("first ");
    req.end("second");
  });
  assert.equal(answer, "200 POST /upload first second");
});

test("20 concurrent sockets on one worker each get their own echoes", async () => {
  const sockets = await Promise.all(Array.from({ length: 20 }, (_, i) => connect(pop, `/?id=many-${i}`, "echo.test")));
  for (const [i, socket] of sockets.entries()) socket.ws.send(`n${i}`);
  const answers = await Promise.all(sockets.map((socket) => socket.next()));
  assert.deepEqual(answers.map((answer) => answer.data), sockets.map((_, i) => `echo n${i}`));
  for (const socket of sockets) socket.ws.close(1000);
  await Promise.all(sockets.map((socket) => socket.closed));
});

test("closing the PoP closes its open sockets with 1001; their requests finish before it stops", async () => {
  const own = await startTestPop([{ name: "echo", source: echoWorker }]);
  const socket = await connect(own, "/?id=shutdown", "anything.test");
  socket.ws.send("ping");
  await socket.next();
  const closing = own.close();
  assert.deepEqual(await socket.closed, { code: 1001, reason: "The PoP is shutting down" });
  await closing;
  assert.equal(own.logs.find((entry) => entry.status === 101)?.outcome, "websocket", "the socket's request ended and was logged");
});
