/**
 * @module The collab-doc example on real PoPs sharing one embedded
 * substrate: editors at different PoPs make concurrent edits and converge,
 * a late joiner gets the whole document, a malformed or oversized update is
 * refused with an error and a close and changes nothing, the document
 * survives compaction and the object's eviction, and the terminal client
 * edits alongside. Then the update checks and the storage layout without a PoP.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { after, afterEach, before, describe, test } from "node:test";
import * as Y from "yjs";
import { startNetwork, until, type Network } from "../../../test/support/network.js";
import { connect, eventually, UnexpectedResponse, type TestSocket } from "../../../test/support/websocket.js";
import type { DocInfo } from "../src/document.js";
import { stateKey, updateKey } from "../src/store.js";
import { checkUpdate, chunk, CloseCodes, DocLimits, join } from "../src/updates.js";

const EXAMPLE_DIR = fileURLToPath(new URL("..", import.meta.url));
const CLIENT = fileURLToPath(new URL("../client.ts", import.meta.url));
const POPS = ["tokyo", "frankfurt", "virginia"];
const SCALE = 0.1;
/** The origin of updates that came from the document, which an editor does not send back. */
const REMOTE = Symbol("remote");

const opened: TestSocket[] = [];

async function open(net: Network, pop: string, doc: string): Promise<TestSocket> {
  const socket = await connect(net.pops[pop], `/docs/${doc}/websocket`, "docs.test");
  opened.push(socket);
  return socket;
}

/** A test editor: a Y.Doc synced over one socket, as client.ts does it. */
class Editor {
  readonly doc = new Y.Doc();
  readonly text = this.doc.getText("text");
  /** Text messages the document sent (errors), and binary ones that did not apply: both should stay empty. */
  readonly errors: string[] = [];

  private constructor(readonly socket: TestSocket) {
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin !== REMOTE) socket.ws.send(update);
    });
    socket.ws.on("message", (data: Buffer, binary: boolean) => this.#apply(data, binary));
  }

  /** Connects at `pop` and applies the first message, the whole document. */
  static async open(net: Network, pop: string, doc: string): Promise<Editor> {
    const socket = await open(net, pop, doc);
    const editor = new Editor(socket);
    // The first message may have come before the listener: it is in the socket's queue too (a Yjs update applies the same twice).
    const first = await socket.next();
    assert.equal(first.binary, true, `the document first sends its state: ${String(first.data)}`);
    Y.applyUpdate(editor.doc, new Uint8Array(first.data as Buffer), REMOTE);
    return editor;
  }

  #apply(data: Buffer, binary: boolean): void {
    if (!binary) return void this.errors.push(data.toString());
    try {
      Y.applyUpdate(this.doc, new Uint8Array(data), REMOTE);
    } catch (error) {
      this.errors.push(`an update that does not apply: ${String(error)}`);
    }
  }
}

async function info(net: Network, pop: string, doc: string): Promise<DocInfo & { doc: string; pop: string }> {
  const response = await net.fetch(pop, `/docs/${doc}`);
  assert.equal(response.status, 200);
  return (await response.json()) as DocInfo & { doc: string; pop: string };
}

/** Waits until every editor, and the document itself, hold the same text; answers it. */
async function converged(net: Network, doc: string, editors: Editor[]): Promise<string> {
  const texts = () => Promise.all([...editors.map(async (e) => e.text.toString()), info(net, Object.keys(net.pops).at(-1)!, doc).then((i) => i.text)]);
  const [text] = await eventually(texts, (all) => all.every((t) => t === all[0]), "the editors and the document to converge");
  for (const editor of editors) assert.deepEqual(editor.errors, []);
  return text;
}

/** A small seeded generator, so that a failing run can be run again. */
function random(seed: number): () => number {
  return () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

afterEach(() => {
  for (const { ws } of opened.splice(0)) ws.terminate();
});

describe("a document edited at three PoPs", () => {
  let net: Network;
  before(async () => {
    net = await startNetwork(EXAMPLE_DIR, POPS, SCALE);
  });
  after(async () => net?.close());

  test("concurrent edits at two PoPs converge; a third editor joining later gets the whole document", async () => {
    const ann = await Editor.open(net, "tokyo", "shared");
    const ben = await Editor.open(net, "frankfurt", "shared");
    assert.equal(ann.text.toString(), "");
    // Both edit at once, before either has the other's update.
    ann.text.insert(0, "Hello ");
    ben.text.insert(0, "world");
    const first = await converged(net, "shared", [ann, ben]);
    assert.ok(first === "Hello world" || first === "worldHello ", first);

    const next = random(7);
    const inserted: string[] = [];
    for (let i = 0; i < 40; i++) {
      const editor = i % 2 === 0 ? ann : ben;
      const piece = `${i % 2 === 0 ? "a" : "b"}${i};`;
      inserted.push(piece);
      editor.text.insert(Math.floor(next() * (editor.text.length + 1)), piece);
    }
    const text = await converged(net, "shared", [ann, ben]);
    // Pieces may land inside each other: every character is there, once.
    const sorted = (s: string) => [...s].sort().join("");
    assert.equal(sorted(text), sorted(first + inserted.join("")));

    // Deletes and inserts over the same range, at once.
    ann.text.delete(0, 5);
    ben.text.insert(3, "[B]");
    const edited = await converged(net, "shared", [ann, ben]);
    assert.ok(edited.includes("[B]") && edited.length === text.length - 5 + 3, edited);

    const cat = await Editor.open(net, "virginia", "shared");
    assert.equal(cat.text.toString(), edited, "the whole document in the first message");
    const { editors, stateBytes } = await info(net, "frankfurt", "shared");
    assert.deepEqual(editors, { tokyo: 1, frankfurt: 1, virginia: 1 });
    assert.equal(stateBytes, Y.encodeStateAsUpdate(cat.doc).byteLength);
    cat.text.insert(cat.text.length, "!");
    assert.equal(await converged(net, "shared", [ann, ben, cat]), `${edited}!`);
  });

  test("a malformed update gets an error and a close, reaches no one, and leaves the document unchanged", async () => {
    const dee = await Editor.open(net, "frankfurt", "guarded");
    dee.text.insert(0, "keep me");
    await converged(net, "guarded", [dee]);
    const stored = await info(net, "virginia", "guarded");
    const good = Y.encodeStateAsUpdate(dee.doc);

    const cases: [string, Uint8Array, string, number][] = [
      ["truncated", good.slice(0, good.length - 4), `Not a Yjs update (Unexpected end of array): received ${good.length - 4} bytes`, CloseCodes.BAD_UPDATE],
      ["not Yjs at all", new TextEncoder().encode("hello"), "Not a Yjs update (Unexpected end of array): received 5 bytes", CloseCodes.BAD_UPDATE],
      ["empty", new Uint8Array(0), "Not a Yjs update (Unexpected end of array): received 0 bytes", CloseCodes.BAD_UPDATE],
      ["too large", new Uint8Array(DocLimits.MAX_UPDATE_BYTES + 1), `An update may be ${DocLimits.MAX_UPDATE_BYTES} bytes at most: received ${DocLimits.MAX_UPDATE_BYTES + 1} bytes`, CloseCodes.TOO_LARGE],
    ];
    for (const [what, bytes, error, code] of cases) {
      const bad = await open(net, "tokyo", "guarded");
      assert.equal((await bad.next()).binary, true);
      bad.ws.send(bytes);
      assert.deepEqual(await bad.next(), { data: JSON.stringify({ error }), binary: false }, what);
      assert.equal((await bad.closed).code, code, what);
    }

    // Text is refused without closing the socket.
    const chatty = await open(net, "virginia", "guarded");
    await chatty.next();
    chatty.ws.send("hello?");
    assert.deepEqual(await chatty.next(), { data: JSON.stringify({ error: 'Text messages are not accepted, send Yjs updates as binary messages: received "hello?"' }), binary: false });

    const now = await info(net, "virginia", "guarded");
    assert.deepEqual({ ...now, pop: null, editors: null }, { ...stored, pop: null, editors: null }, "the stored document did not change");
    // The next thing dee hears is a good edit from elsewhere: nothing bad was sent on.
    const eve = await Editor.open(net, "tokyo", "guarded");
    assert.equal(eve.text.toString(), "keep me");
    eve.text.insert(0, "still ");
    assert.equal(await converged(net, "guarded", [dee, eve]), "still keep me");
  });

  test("the worker refuses plain requests on the socket's path and bad document names, naming them", async () => {
    const plain = await net.fetch("tokyo", "/docs/notes/websocket");
    assert.equal(plain.status, 426);
    assert.equal(plain.headers.get("upgrade"), "websocket");
    assert.deepEqual(await plain.json(), { error: { code: "upgrade_required", message: "/docs/notes/websocket is a WebSocket: send Upgrade: websocket, received no Upgrade header" } });
    for (const [segment, shown] of [
      ["a.b", '"a.b"'],
      ["caf%C3%A9", '"café"'],
      ["d".repeat(65), `"${"d".repeat(64)}…"`],
    ]) {
      const response = await net.fetch("frankfurt", `/docs/${segment}/websocket`);
      assert.equal(response.status, 400, segment);
      assert.deepEqual(await response.json(), { error: { code: "bad_document", message: `The document name ${shown} is not 1 to 64 characters of A-Z a-z 0-9 _ -` } });
    }
    await assert.rejects(open(net, "tokyo", "a%20b"), (error: unknown) => error instanceof UnexpectedResponse && error.status === 400);
    const nowhere = await net.fetch("tokyo", "/");
    assert.equal(nowhere.status, 404);
    await nowhere.body?.cancel();
    assert.deepEqual(await info(net, "tokyo", "untouched"), { doc: "untouched", pop: "tokyo", text: "", stateBytes: 2, storedBytes: 0, storedUpdates: 0, editors: {} });
  });

  test("the terminal client edits alongside a test editor at another PoP", async () => {
    const fay = await Editor.open(net, "frankfurt", "terminal");
    fay.text.insert(0, "from fay\n");
    await converged(net, "terminal", [fay]);

    const child = spawn(process.execPath, ["--import", "tsx", CLIENT, net.pops.tokyo.url, "terminal"], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    try {
      // Starting node with tsx takes a moment: this wait is longer than the others.
      // The header and the text may come in separate chunks of stdout: wait for both.
      await until(async () => out.includes("(synced from") && out.includes("from fay\n"), `the client's first sync (stderr: ${err})`, 15_000);
      assert.match(out, /── terminal: 9 characters, 1 line \(synced from .*\) ──\nfrom fay\n/);
      child.stdin.write("typed in tokyo\n");
      child.stdin.write("/insert 0 >> \n");
      await eventually(async () => fay.text.toString(), (t) => t === ">> from fay\ntyped in tokyo\n", "the client's edits at frankfurt");
      fay.text.insert(fay.text.length, "fay again\n");
      await eventually(async () => out, (o) => o.includes("(edited elsewhere) ──\n>> from fay\ntyped in tokyo\nfay again\n"), "fay's edit in the terminal");
      child.stdin.write("/quit\n");
      assert.equal(await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve("still running"), 3000))]), 0, err);
    } finally {
      child.kill();
    }
  });
});

describe("a document whose object is evicted and whose updates are compacted", () => {
  let net: Network;
  before(async () => {
    net = await startNetwork(EXAMPLE_DIR, ["tokyo", "frankfurt"], SCALE, {}, "virginia", { bindings: { durableObjects: { idleMs: 150 } } });
  });
  after(async () => net?.close());

  test("updates past the threshold are compacted, and the document is rebuilt from storage after an eviction", async () => {
    const gus = await Editor.open(net, "tokyo", "long");
    const hal = await Editor.open(net, "frankfurt", "long");
    const count = DocLimits.COMPACT_AFTER_UPDATES + 20;
    for (let i = 0; i < count; i++) gus.text.insert(gus.text.length, `${i},`);
    const expected = Array.from({ length: count }, (_, i) => `${i},`).join("");
    assert.equal(await converged(net, "long", [gus, hal]), expected);
    const compacted = await info(net, "frankfurt", "long");
    assert.equal(compacted.storedUpdates, count - DocLimits.COMPACT_AFTER_UPDATES, "the first 100 updates were folded into the state");

    await new Promise((resolve) => setTimeout(resolve, 600)); // idle for longer than idleMs: evicted
    // The sockets stayed open: an edit still reaches the other editor.
    hal.text.insert(0, "^");
    assert.equal(await converged(net, "long", [gus, hal]), `^${expected}`);
    await new Promise((resolve) => setTimeout(resolve, 600));
    const ivy = await Editor.open(net, "frankfurt", "long");
    assert.equal(ivy.text.toString(), `^${expected}`, "rebuilt from the state and the updates since");
    assert.equal((await info(net, "tokyo", "long")).storedUpdates, count - DocLimits.COMPACT_AFTER_UPDATES + 1);
  });
});

describe("updates and storage, without a PoP", () => {
  test("checkUpdate takes Yjs updates and refuses anything else, naming the problem", () => {
    const doc = new Y.Doc();
    doc.getText("text").insert(0, "hi");
    const update = Y.encodeStateAsUpdate(doc);
    assert.equal(checkUpdate(update), null);
    assert.equal(checkUpdate(new Uint8Array([0, 0])), null, "the empty update");
    assert.deepEqual(checkUpdate(update.slice(0, 5)), { error: "Not a Yjs update (Unexpected end of array): received 5 bytes", code: CloseCodes.BAD_UPDATE });
    assert.deepEqual(checkUpdate(new Uint8Array(20).fill(255)), { error: "Not a Yjs update (Integer out of Range): received 20 bytes", code: CloseCodes.BAD_UPDATE });
    assert.equal(checkUpdate(new Uint8Array(DocLimits.MAX_UPDATE_BYTES + 1))?.code, CloseCodes.TOO_LARGE);
  });

  test("a state cut into chunks joins back, and keys sort in order", () => {
    const bytes = Uint8Array.from({ length: 150_000 }, (_, i) => i % 251);
    const chunks = chunk(bytes);
    assert.deepEqual(chunks.map((c) => c.byteLength), [65_536, 65_536, 18_928]);
    assert.deepEqual(join(chunks), bytes);
    assert.deepEqual(chunk(new Uint8Array(0)), []);
    const keys = [stateKey(2), stateKey(10), updateKey(9), updateKey(10), updateKey(100_000)];
    assert.deepEqual([...keys].sort(), keys);
  });
});
