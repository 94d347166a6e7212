/** @module WebSocketPair and WebSocket inside an isolate: their shape, a pair used locally, and bad input, each error naming the bad value. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startTestPop, type TestPop } from "../support/pop.js";
import { assertError, CHECK_LIMITS, checksWorker, runChecks, valueOf, type CheckResult } from "../web/checks.js";

const helpers = `
const accepted = () => {
  const [client, server] = Object.values(new WebSocketPair());
  server.accept();
  return { client, server };
};
`;

const checks = `{
  pairShape: async () => {
    const pair = new WebSocketPair();
    const [a, b] = Object.values(pair);
    return {
      keys: Object.keys(pair), sockets: [a instanceof WebSocket, b instanceof WebSocket, a instanceof EventTarget],
      state: a.readyState, constants: [WebSocket.CONNECTING, WebSocket.OPEN, WebSocket.CLOSING, WebSocket.CLOSED, a.CLOSED, WebSocket.READY_STATE_OPEN],
      url: a.url, protocol: a.protocol, extensions: a.extensions, tag: String(a),
    };
  },
  acceptOpens: async () => {
    const { server } = accepted();
    server.accept();
    return server.readyState;
  },
  localPair: async () => {
    const [a, b] = Object.values(new WebSocketPair());
    a.accept();
    const seen = [];
    a.send("before b accepted");
    b.accept();
    const closed = new Promise((resolve) => a.addEventListener("close", (event) => resolve([event.code, event.reason, event.wasClean, a.readyState])));
    b.onmessage = (event) => seen.push(event.data);
    b.addEventListener("close", (event) => seen.push(["close", event.code, event.reason, b.readyState]));
    a.send(new Uint8Array([1, 2]));
    await Promise.resolve();
    a.close(1000, "done");
    const aClose = await closed;
    return { seen: seen.map((item) => item instanceof ArrayBuffer ? ["bytes", [...new Uint8Array(item)]] : item), aClose };
  },
  closeCode1005: async () => errorOf(() => accepted().server.close(1005)),
  closeCode999: async () => errorOf(() => accepted().server.close(999)),
  closeCode5000: async () => errorOf(() => accepted().server.close(5000)),
  closeCode2999: async () => errorOf(() => accepted().server.close(2999)),
  closeCodeFraction: async () => errorOf(() => accepted().server.close(3000.5)),
  closeCodeReserved: async () => errorOf(() => accepted().server.close(1015)),
  closeCodesAllowed: async () => [1000, 1001, 1011, 3000, 4999].map((code) => { accepted().server.close(code, "fine"); return code; }),
  reasonTooLong: async () => errorOf(() => accepted().server.close(1000, "é".repeat(62))),
  reasonAtLimit: async () => { accepted().server.close(1000, "x".repeat(123)); return "ok"; },
  sendBeforeAccept: async () => errorOf(() => new WebSocketPair()[1].send("too soon")),
  closeBeforeAccept: async () => errorOf(() => new WebSocketPair()[1].close(1000)),
  sendAfterClose: async () => {
    const { server } = accepted();
    server.close(1000, "bye");
    return errorOf(() => server.send("too late"));
  },
  sendTooLarge: async () => errorOf(() => accepted().server.send(new Uint8Array(1024 * 1024 + 1))),
  sendTooLargeText: async () => errorOf(() => accepted().server.send("€".repeat(349526))),
  sendWrongType: async () => errorOf(() => accepted().server.send({ not: "a message" })),
  status101WithoutWebSocket: async () => errorOf(() => new Response(null, { status: 101 })),
  webSocketWithStatus200: async () => errorOf(() => new Response(null, { status: 200, webSocket: new WebSocketPair()[0] })),
  webSocketWithoutStatus: async () => errorOf(() => new Response(null, { webSocket: new WebSocketPair()[0] })),
  webSocketNotASocket: async () => errorOf(() => new Response(null, { status: 101, webSocket: { send() {} } })),
  response101: async () => {
    const response = new Response(null, { status: 101, webSocket: new WebSocketPair()[0] });
    return [response.status, response.webSocket instanceof WebSocket];
  },
  outgoingUnsupported: async () => errorOf(() => new WebSocket("wss://example.com/")),
  events: async () => {
    const message = new MessageEvent("message", { data: "x" });
    const close = new CloseEvent("close", { code: 4000, reason: "r", wasClean: true });
    return [message.data, message instanceof Event, close.code, close.reason, close.wasClean, new ErrorEvent("error", { message: "m" }).message];
  },
}`;

let pop: TestPop;
let results: Record<string, CheckResult>;
before(async () => {
  pop = await startTestPop([{ name: "checks", source: checksWorker(checks, helpers), limits: CHECK_LIMITS }]);
  results = await runChecks(pop, "/");
});
after(() => pop.close());

test("a WebSocketPair has two WebSockets at 0 and 1; they start CONNECTING and open on accept()", () => {
  assert.deepEqual(valueOf(results, "pairShape"), {
    keys: ["0", "1"],
    sockets: [true, true, true],
    state: 0,
    constants: [0, 1, 2, 3, 3, 1],
    url: null,
    protocol: null,
    extensions: null,
    tag: "[object WebSocket]",
  });
  assert.equal(valueOf(results, "acceptOpens"), 1);
});

test("the two ends of a pair talk to each other in the isolate; the close is answered", () => {
  assert.deepEqual(valueOf(results, "localPair"), {
    seen: ["before b accepted", ["bytes", [1, 2]], ["close", 1000, "done", 3]],
    aClose: [1000, "done", true, 3],
  });
});

test("close codes an endpoint may not send are RangeErrors naming the code", () => {
  for (const [name, code] of [["closeCode1005", "1005"], ["closeCode999", "999"], ["closeCode5000", "5000"], ["closeCode2999", "2999"], ["closeCodeFraction", "3000.5"], ["closeCodeReserved", "1015"]]) {
    assertError(results, name, "RangeError", new RegExp(`Invalid WebSocket close code: ${code.replace(".", "\\.")} \\(expected 1000 to 1003, 1007 to 1014, or 3000 to 4999\\)`));
  }
  assert.deepEqual(valueOf(results, "closeCodesAllowed"), [1000, 1001, 1011, 3000, 4999]);
});

test("a close reason over 123 UTF-8 bytes is a RangeError naming its length", () => {
  assertError(results, "reasonTooLong", "RangeError", /close reason is too long: 124 bytes \(the limit is 123\)/);
  assert.equal(valueOf(results, "reasonAtLimit"), "ok");
});

test("send or close before accept(), and send after close(), name the socket's state", () => {
  assertError(results, "sendBeforeAccept", "InvalidStateError", /accept\(\).*readyState is CONNECTING/);
  assertError(results, "closeBeforeAccept", "InvalidStateError", /accept\(\).*readyState is CONNECTING/);
  assertError(results, "sendAfterClose", "InvalidStateError", /readyState is CLOSING/);
});

test("a message over 1 MiB is a RangeError naming its size; only text and binary can be sent", () => {
  assertError(results, "sendTooLarge", "RangeError", /too large: 1048577 bytes \(the limit is 1048576\)/);
  assertError(results, "sendTooLargeText", "RangeError", /too large: 1048578 bytes/);
  assertError(results, "sendWrongType", "TypeError", /received object/);
});

test("status 101 and a webSocket go together, each error naming the status", () => {
  assertError(results, "status101WithoutWebSocket", "RangeError", /status 101 must have a webSocket: received status 101/);
  assertError(results, "webSocketWithStatus200", "RangeError", /must have status 101: received 200/);
  assertError(results, "webSocketWithoutStatus", "RangeError", /must have status 101: received 200/);
  assertError(results, "webSocketNotASocket", "TypeError", /webSocket must be a WebSocket: received \[object Object\]/);
  assert.deepEqual(valueOf(results, "response101"), [101, true]);
});

test("outgoing WebSockets are refused by name; the event classes are globals", () => {
  assertError(results, "outgoingUnsupported", "TypeError", /not supported: new WebSocket\("wss:\/\/example\.com\/"\)/);
  assert.deepEqual(valueOf(results, "events"), ["x", true, 4000, "r", true, "m"]);
});
