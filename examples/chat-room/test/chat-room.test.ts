/**
 * @module The chat-room example on real PoPs sharing one embedded substrate:
 * clients connected to different PoPs chat in one room, a joiner gets the
 * last 100 messages, bad input gets an error naming it and is broadcast to
 * no one, names survive the object's eviction, and the worker refuses bad
 * room names and plain requests. Then the protocol's checks without a PoP.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { after, afterEach, before, describe, test } from "node:test";
import { fetchWithHost } from "../../../test/support/http.js";
import { startNetwork, type Network } from "../../../test/support/network.js";
import { connect, UnexpectedResponse, type TestSocket } from "../../../test/support/websocket.js";
import { messageKey, seqOf } from "../src/backlog.js";
import { ChatLimits, readClientMessage, show, type ChatMessage, type ServerMessage } from "../src/protocol.js";
import { roomOf } from "../src/routes.js";

const EXAMPLE_DIR = fileURLToPath(new URL("..", import.meta.url));
const POPS = ["tokyo", "frankfurt", "virginia"];
const SCALE = 0.1;

/** Sockets a test opened, closed after it. */
const opened: TestSocket[] = [];

async function receive(socket: TestSocket): Promise<ServerMessage> {
  const { data, binary } = await socket.next();
  assert.equal(binary, false, "the room sends text");
  return JSON.parse(data as string) as ServerMessage;
}

async function open(net: Network, pop: string, room: string): Promise<TestSocket> {
  const socket = await connect(net.pops[pop], `/rooms/${room}/websocket`, "chat.test");
  opened.push(socket);
  return socket;
}

/** Connects at `pop` and joins as `name`: answers the socket and the backlog it got. */
async function join(net: Network, pop: string, room: string, name: string): Promise<{ socket: TestSocket; backlog: ChatMessage[] }> {
  const socket = await open(net, pop, room);
  socket.ws.send(JSON.stringify({ name }));
  const first = await receive(socket);
  assert.ok("backlog" in first, `the backlog comes first: ${JSON.stringify(first)}`);
  assert.deepEqual(await receive(socket), { joined: name });
  return { socket, backlog: first.backlog };
}

const say = (socket: TestSocket, message: string) => socket.ws.send(JSON.stringify({ message }));

/** The next message of `socket`, which must be `name` saying `message`. */
async function hear(socket: TestSocket, name: string, message: string): Promise<ChatMessage> {
  const got = await receive(socket);
  assert.deepEqual({ ...got, at: 0 }, { name, message, at: 0 });
  return got as ChatMessage;
}

afterEach(() => {
  for (const { ws } of opened.splice(0)) ws.terminate();
});

describe("a room at three PoPs", () => {
  let net: Network;
  before(async () => {
    net = await startNetwork(EXAMPLE_DIR, POPS, SCALE);
  });
  after(async () => net?.close());

  test("clients at different PoPs receive each other's messages, joins and quits", async () => {
    const alice = await join(net, "tokyo", "lobby", "alice");
    assert.deepEqual(alice.backlog, []);
    const bob = await join(net, "frankfurt", "lobby", "bob");
    const carol = await join(net, "virginia", "lobby", "carol");
    assert.deepEqual(await receive(alice.socket), { joined: "bob" });
    assert.deepEqual(await receive(alice.socket), { joined: "carol" });
    assert.deepEqual(await receive(bob.socket), { joined: "carol" });

    const started = Date.now();
    say(alice.socket, "hello from tokyo");
    const heard = await Promise.all([alice, bob, carol].map(({ socket }) => hear(socket, "alice", "hello from tokyo")));
    assert.deepEqual(heard, [heard[0], heard[0], heard[0]], "the same message, with the same time, at every PoP");
    assert.ok(heard[0].at >= started - 1000 && heard[0].at <= Date.now() + 1000, `at ${heard[0].at}`);

    say(carol.socket, "and from virginia 👋");
    for (const { socket } of [alice, bob, carol]) await hear(socket, "carol", "and from virginia 👋");

    bob.socket.ws.close(1000, "bye");
    assert.deepEqual(await receive(alice.socket), { quit: "bob" });
    assert.deepEqual(await receive(carol.socket), { quit: "bob" });
    // A client that goes away without a close frame quits too.
    carol.socket.ws.terminate();
    assert.deepEqual(await receive(alice.socket), { quit: "carol" });

    // Rooms are apart: a message in another room reaches no one here.
    const dan = await join(net, "frankfurt", "elsewhere", "dan");
    say(dan.socket, "anyone?");
    await hear(dan.socket, "dan", "anyone?");
    say(alice.socket, "still here");
    await hear(alice.socket, "alice", "still here");
  });

  test(`a joiner gets the last ${ChatLimits.BACKLOG_MESSAGES} messages, oldest first`, async () => {
    const eve = await join(net, "virginia", "history", "eve");
    const count = ChatLimits.BACKLOG_MESSAGES + 5;
    for (let i = 0; i < count; i++) say(eve.socket, `m${i}`);
    for (let i = 0; i < count; i++) await hear(eve.socket, "eve", `m${i}`);

    const frank = await join(net, "tokyo", "history", "frank");
    assert.deepEqual(
      frank.backlog.map((m) => m.message),
      Array.from({ length: ChatLimits.BACKLOG_MESSAGES }, (_, i) => `m${i + 5}`),
    );
    assert.ok(frank.backlog.every((m) => m.name === "eve" && typeof m.at === "number"));
    const times = frank.backlog.map((m) => m.at);
    assert.deepEqual(times, [...times].sort((a, b) => a - b));
    assert.deepEqual(await receive(eve.socket), { joined: "frank" });

    // The backlog goes on from where it was: the next joiner sees the newest message last.
    say(frank.socket, "late");
    await hear(eve.socket, "frank", "late");
    const grace = await join(net, "frankfurt", "history", "grace");
    const lines = grace.backlog.map(({ name, message }) => `${name}: ${message}`);
    assert.equal(lines.length, ChatLimits.BACKLOG_MESSAGES);
    assert.deepEqual([lines[0], lines.at(-2), lines.at(-1)], ["eve: m6", "eve: m104", "frank: late"]);
  });

  test("bad input gets an error naming the problem and the value, and is broadcast to no one", async () => {
    const heidi = await join(net, "tokyo", "strict", "heidi");
    const ivan = await join(net, "frankfurt", "strict", "ivan");
    assert.deepEqual(await receive(heidi.socket), { joined: "ivan" });

    const long = "x".repeat(ChatLimits.MAX_MESSAGE_CHARS + 1);
    const cases: [string | Buffer, string][] = [
      ["not json", 'Messages must be JSON: received "not json"'],
      [Buffer.from([1, 2, 3]), "Binary messages are not accepted, send JSON text: received 3 bytes"],
      ['{"message":"hi","colour":"red"}', 'Unknown field "colour": send {"name": …} or {"message": …}, received {"message":"hi","colour":"red"}'],
      ["[1,2]", 'A message must be a JSON object, {"name": …} or {"message": …}: received [1,2]'],
      ['{"message":42}', "The message must be a string of 1 to 1000 characters: received 42"],
      [JSON.stringify({ message: long }), `The message must be 1 to 1000 characters: received "${"x".repeat(64)}…" (1001 characters)`],
      ['{"message":""}', 'The message must be 1 to 1000 characters: received "" (0 characters)'],
      ['{"name":"heidi2"}', 'This socket already joined as "heidi": received {"name":"heidi2"}'],
      ['{"name":"a","message":"b"}', 'Send "name" and "message" in separate messages: received {"name":"a","message":"b"}'],
    ];
    for (const [sent, error] of cases) {
      heidi.socket.ws.send(sent);
      assert.deepEqual(await receive(heidi.socket), { error }, String(sent));
    }

    // Before a name: messages are refused, bad names too.
    const judy = await open(net, "virginia", "strict");
    const unnamed: [string, string][] = [
      ['{"message":"hi"}', 'Send {"name": …} before any message: received "hi"'],
      [JSON.stringify({ name: "n".repeat(33) }), `The name must be 1 to 32 characters: received "${"n".repeat(33)}" (33 characters)`],
      ['{"name":""}', 'The name must be 1 to 32 characters: received "" (0 characters)'],
      ['{"name":"   "}', 'The name must not be blank: received "   "'],
      ['{"name":null}', "The name must be a string of 1 to 32 characters: received null"],
    ];
    for (const [sent, error] of unnamed) {
      judy.ws.send(sent);
      assert.deepEqual(await receive(judy), { error }, sent);
    }
    // 32 characters, each an emoji of two UTF-16 units, is a good name.
    const name = "🦊".repeat(32);
    judy.ws.send(JSON.stringify({ name }));
    assert.deepEqual(await receive(judy), { backlog: [] }, "nothing bad reached the backlog");
    assert.deepEqual(await receive(judy), { joined: name });

    // The next thing the others hear is the join, then a good message: none of the bad input came first.
    assert.deepEqual(await receive(ivan.socket), { joined: name });
    assert.deepEqual(await receive(heidi.socket), { joined: name });
    say(heidi.socket, "ok");
    for (const socket of [heidi.socket, ivan.socket, judy]) await hear(socket, "heidi", "ok");
  });

  test("GET / is a page without external resources; the socket's path wants an upgrade and a good room name", async () => {
    const page = await net.fetch("frankfurt", "/");
    assert.equal(page.status, 200);
    assert.equal(page.headers.get("content-type"), "text/html; charset=utf-8");
    const html = await page.text();
    assert.match(html, /<script>[\s\S]*new WebSocket\(/);
    assert.doesNotMatch(html, /\b(src|href)=|@import|url\(/, "no external resources");

    const plain = await net.fetch("tokyo", "/rooms/lobby/websocket");
    assert.equal(plain.status, 426);
    assert.equal(plain.headers.get("upgrade"), "websocket");
    assert.deepEqual(await plain.json(), {
      error: { code: "upgrade_required", message: "/rooms/lobby/websocket is a WebSocket: send Upgrade: websocket, received no Upgrade header" },
    });
    // (fetch() may not send Upgrade: a request from node:http does.)
    const h2c = await fetchWithHost(`${net.pops.tokyo.url}/rooms/lobby/websocket`, "chat.test", { headers: { connection: "upgrade", upgrade: "h2c" } });
    assert.equal(h2c.status, 426);
    assert.equal(((await h2c.json()) as { error: { code: string } }).error.code, "upgrade_required");

    for (const [segment, shown] of [
      ["caf%C3%A9", '"café"'],
      ["a.b", '"a.b"'],
      ["r".repeat(65), `"${"r".repeat(64)}…"`],
      ["%E0%A4%A", '"%E0%A4%A"'],
    ]) {
      const response = await net.fetch("virginia", `/rooms/${segment}/websocket`);
      assert.equal(response.status, 400, segment);
      assert.deepEqual(await response.json(), { error: { code: "bad_room", message: `The room name ${shown} is not 1 to 64 characters of A-Z a-z 0-9 _ -` } });
    }
    await assert.rejects(open(net, "tokyo", "no%20spaces"), (error: unknown) => {
      assert.ok(error instanceof UnexpectedResponse);
      assert.equal(error.status, 400);
      assert.deepEqual(JSON.parse(error.body), { error: { code: "bad_room", message: 'The room name "no spaces" is not 1 to 64 characters of A-Z a-z 0-9 _ -' } });
      return true;
    });

    assert.equal((await net.fetch("tokyo", "/rooms/lobby")).status, 404);
    const post = await net.fetch("tokyo", "/", { method: "POST" });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get("allow"), "GET");
    await post.body?.cancel();
  });
});

describe("a room whose object is evicted between messages", () => {
  let net: Network;
  before(async () => {
    net = await startNetwork(EXAMPLE_DIR, ["tokyo", "frankfurt"], SCALE, {}, "virginia", { bindings: { durableObjects: { idleMs: 150 } } });
  });
  after(async () => net?.close());

  test("the sockets stay open and keep their names, and the backlog is in storage", async () => {
    const kim = await join(net, "tokyo", "sleepy", "kim");
    const lee = await join(net, "frankfurt", "sleepy", "lee");
    assert.deepEqual(await receive(kim.socket), { joined: "lee" });
    say(kim.socket, "before");
    for (const { socket } of [kim, lee]) await hear(socket, "kim", "before");
    await new Promise((resolve) => setTimeout(resolve, 600)); // idle for longer than idleMs
    say(lee.socket, "after");
    await hear(kim.socket, "lee", "after");
    await hear(lee.socket, "lee", "after");
    const mia = await join(net, "tokyo", "sleepy", "mia");
    assert.deepEqual(mia.backlog.map(({ name, message }) => `${name}: ${message}`), ["kim: before", "lee: after"]);
    lee.socket.ws.close();
    assert.deepEqual(await receive(kim.socket), { joined: "mia" });
    assert.deepEqual(await receive(kim.socket), { quit: "lee" });
  });
});

describe("the protocol, without a PoP", () => {
  test("a client's message is read as a join, a message or an error", () => {
    assert.deepEqual(readClientMessage('{"name":"ada"}', null), { join: "ada" });
    assert.deepEqual(readClientMessage('{"message":"hi"}', "ada"), { say: "hi" });
    assert.deepEqual(readClientMessage(new ArrayBuffer(5), "ada"), { error: "Binary messages are not accepted, send JSON text: received 5 bytes" });
    assert.deepEqual(readClientMessage("{", "ada"), { error: 'Messages must be JSON: received "{"' });
    assert.deepEqual(readClientMessage("null", "ada"), { error: 'A message must be a JSON object, {"name": …} or {"message": …}: received null' });
    assert.deepEqual(readClientMessage("{}", "ada"), { error: 'Send "name" and "message" in separate messages: received {}' });
    assert.deepEqual(readClientMessage(JSON.stringify({ message: "y".repeat(1000) }), "ada"), { say: "y".repeat(1000) });
    assert.deepEqual(readClientMessage(JSON.stringify({ name: "z".repeat(32) }), null), { join: "z".repeat(32) });
  });

  test("values in errors are cut after 64 characters", () => {
    assert.equal(show("a".repeat(64)), JSON.stringify("a".repeat(64)));
    assert.equal(show("a".repeat(65)), JSON.stringify(`${"a".repeat(64)}…`));
    assert.equal(show({ k: "v".repeat(80) }), `{"k":"${"v".repeat(58)}…`);
    assert.equal(show("😀".repeat(65)), JSON.stringify(`${"😀".repeat(64)}…`), "cut between characters, not inside one");
    const huge = readClientMessage("x".repeat(10_000), null);
    assert.ok("error" in huge && huge.error.length < 120, "an error stays short however long the input");
  });

  test("room names", () => {
    assert.deepEqual(roomOf("Lobby_2-b"), { room: "Lobby_2-b" });
    assert.deepEqual(roomOf("r".repeat(64)), { room: "r".repeat(64) });
    assert.deepEqual(roomOf(""), { error: 'The room name "" is not 1 to 64 characters of A-Z a-z 0-9 _ -' });
    assert.deepEqual(roomOf("a%2Fb"), { error: 'The room name "a/b" is not 1 to 64 characters of A-Z a-z 0-9 _ -' });
  });

  test("backlog keys sort in arrival order", () => {
    const keys = [0, 9, 10, 99, 100, 123_456].map(messageKey);
    assert.deepEqual([...keys].sort(), keys);
    assert.deepEqual(keys.map(seqOf), [0, 9, 10, 99, 100, 123_456]);
  });
});
