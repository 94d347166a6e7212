/**
 * @module WHATWG Streams inside a real isolate: pull sources, byte streams
 * with BYOB readers, tee, pipeThrough, pipeTo and backpressure.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startTestPop, type TestPop } from "../support/pop.js";
import { assertError, CHECK_LIMITS, checksWorker, pathRoute, runChecks, valueOf } from "./checks.js";

const helpers = `
const readAllText = async (stream) => {
  const reader = stream.getReader();
  let text = "";
  for (;;) { const { done, value } = await reader.read(); if (done) return text; text += typeof value === "string" ? value : dec(value); }
};
const counter = (limit, calls) => new ReadableStream({
  pull(controller) {
    calls.push(calls.length);
    if (calls.length > limit) controller.close();
    else controller.enqueue(enc(String(calls.length)));
  },
});
`;

const streamChecks = `{
  pullSource: async () => { const calls = []; const text = await readAllText(counter(3, calls)); return [text, calls.length]; },
  asyncIterate: async () => { const out = []; for await (const chunk of counter(2, [])) out.push(dec(chunk)); return out; },
  readerState: async () => {
    const stream = new ReadableStream({ start(c) { c.enqueue("a"); c.close(); } });
    const reader = stream.getReader();
    const locked = stream.locked;
    const first = await reader.read();
    const second = await reader.read();
    reader.releaseLock();
    return [locked, first, second, stream.locked];
  },
  cancelReason: async () => {
    let reason;
    const stream = new ReadableStream({ cancel(r) { reason = r; } });
    await stream.cancel("enough");
    return reason;
  },
  byob: async () => {
    const stream = new ReadableStream({
      type: "bytes",
      pull(controller) {
        const request = controller.byobRequest;
        const view = request.view;
        for (let i = 0; i < view.byteLength; i++) view[i] = i + 1;
        request.respond(view.byteLength);
        controller.close();
      },
    });
    const reader = stream.getReader({ mode: "byob" });
    const { value, done } = await reader.read(new Uint8Array(4));
    const end = await reader.read(new Uint8Array(4));
    return [reader instanceof ReadableStreamBYOBReader, [...value], done, end.done, end.value?.byteLength ?? null];
  },
  byobEnqueued: async () => {
    const stream = new ReadableStream({ type: "bytes", start(c) { c.enqueue(new Uint8Array([1, 2, 3, 4, 5])); c.close(); } });
    const reader = stream.getReader({ mode: "byob" });
    const a = await reader.read(new Uint8Array(2));
    const b = await reader.read(new Uint8Array(8));
    return [[...a.value], [...b.value]];
  },
  byobOnBody: async () => {
    const reader = new Response("body bytes").body.getReader({ mode: "byob" });
    const { value } = await reader.read(new Uint8Array(4));
    return dec(value);
  },
  byobMin: async () => {
    const stream = new ReadableStream({ type: "bytes", start(c) { c.enqueue(new Uint8Array([1])); c.enqueue(new Uint8Array([2, 3])); c.close(); } });
    const { value } = await stream.getReader({ mode: "byob" }).read(new Uint8Array(3), { min: 3 });
    return [...value];
  },
  tee: async () => {
    const calls = [];
    const [a, b] = counter(3, calls).tee();
    const [ta, tb] = await Promise.all([readAllText(a), readAllText(b)]);
    return [ta, tb, calls.length];
  },
  teeCancelOne: async () => {
    let cancelled = null;
    const source = new ReadableStream({ start(c) { c.enqueue("x"); }, cancel(r) { cancelled = r; } });
    const [a, b] = source.tee();
    // A branch's cancel() settles only once both branches are cancelled.
    const first = a.cancel("a done");
    await new Promise((resolve) => setTimeout(resolve, 1));
    const before = cancelled;
    await b.cancel("b done");
    await first;
    return [before, cancelled];
  },
  pipeThrough: async () => {
    const upper = new TransformStream({ transform(chunk, controller) { controller.enqueue(dec(chunk).toUpperCase()); }, flush(controller) { controller.enqueue("!"); } });
    return readAllText(counter(3, []).pipeThrough(upper).pipeThrough(new TransformStream()));
  },
  pipeTo: async () => {
    const written = [];
    let closed = false;
    await counter(3, []).pipeTo(new WritableStream({ write(chunk) { written.push(dec(chunk)); }, close() { closed = true; } }));
    return [written, closed];
  },
  pipeToError: async () => {
    const sink = new WritableStream({ write() { throw new RangeError("sink full"); } });
    return errorOf(() => counter(3, []).pipeTo(sink));
  },
  pipeAbort: async () => {
    const controller = new AbortController();
    const never = new ReadableStream({ pull() { return new Promise(() => {}); } });
    const piping = never.pipeTo(new WritableStream(), { signal: controller.signal });
    controller.abort();
    return errorOf(() => piping);
  },
  backpressure: async () => {
    const pulls = [];
    const stream = new ReadableStream({ pull(controller) { pulls.push(controller.desiredSize); controller.enqueue(pulls.length); } }, new CountQueuingStrategy({ highWaterMark: 3 }));
    await new Promise((resolve) => setTimeout(resolve, 10));
    const filled = pulls.length;
    const reader = stream.getReader();
    await reader.read();
    await new Promise((resolve) => setTimeout(resolve, 10));
    return [filled, pulls.length, pulls.slice(0, 3)];
  },
  writableBackpressure: async () => {
    let release;
    const sink = new WritableStream({ write() { return new Promise((resolve) => (release = resolve)); } }, { highWaterMark: 2 });
    const writer = sink.getWriter();
    const sizes = [writer.desiredSize];
    void writer.write("a"); sizes.push(writer.desiredSize);
    void writer.write("b"); sizes.push(writer.desiredSize);
    void writer.write("c"); sizes.push(writer.desiredSize);
    let readyResolved = false;
    void writer.ready.then(() => (readyResolved = true));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const before = readyResolved;
    release(); await new Promise((resolve) => setTimeout(resolve, 5));
    release(); await new Promise((resolve) => setTimeout(resolve, 5));
    return [sizes, before, readyResolved];
  },
  byteLengthStrategy: () => new ByteLengthQueuingStrategy({ highWaterMark: 16 }).size(new Uint8Array(5)),
  transformBackpressure: async () => {
    const ts = new TransformStream({}, { highWaterMark: 1 }, { highWaterMark: 0 });
    const writer = ts.writable.getWriter();
    return [writer.desiredSize];
  },
  fromIterable: async () => {
    async function* gen() { yield "x"; yield "y"; }
    return [await readAllText(ReadableStream.from(["a", "b"])), await readAllText(ReadableStream.from(gen()))];
  },
  globals: () => ["ReadableStream", "WritableStream", "TransformStream", "ReadableStreamDefaultReader", "ReadableStreamBYOBReader", "ReadableByteStreamController", "WritableStreamDefaultWriter", "CountQueuingStrategy", "ByteLengthQueuingStrategy"].filter((name) => typeof globalThis[name] !== "function"),
  responseFromTransform: async () => {
    const { readable, writable } = new TransformStream();
    const writer = writable.getWriter();
    void writer.write(enc("piped ")).then(() => writer.write(enc("through"))).then(() => writer.close());
    return new Response(readable).text();
  },
}`;

const streamingResponse = `
export default {
  async fetch(request) {
    const { readable, writable } = new TransformStream();
    const writer = writable.getWriter();
    const encoder = new TextEncoder();
    (async () => {
      for (let i = 0; i < 5; i++) {
        await writer.write(encoder.encode("chunk" + i + "\\n"));
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await writer.close();
    })().catch(() => {});
    return new Response(readable, { headers: { "content-type": "text/plain" } });
  },
};`;

let pop: TestPop;
before(async () => {
  pop = await startTestPop([
    { name: "streams", source: checksWorker(streamChecks, helpers), routes: pathRoute("streams"), limits: CHECK_LIMITS },
    { name: "streaming", source: streamingResponse, routes: pathRoute("streaming"), limits: CHECK_LIMITS },
  ]);
});
after(() => pop.close());

test("readable streams: pull sources, readers, BYOB byte streams and tee", async () => {
  const r = await runChecks(pop, "/streams");
  assert.deepEqual(valueOf(r, "pullSource"), ["123", 4]);
  assert.deepEqual(valueOf(r, "asyncIterate"), ["1", "2"]);
  assert.deepEqual(valueOf(r, "readerState"), [true, { done: false, value: "a" }, { done: true }, false]);
  assert.equal(valueOf(r, "cancelReason"), "enough");
  assert.deepEqual(valueOf(r, "byob"), [true, [1, 2, 3, 4], false, true, 0]);
  assert.deepEqual(valueOf(r, "byobEnqueued"), [[1, 2], [3, 4, 5]]);
  assert.equal(valueOf(r, "byobOnBody"), "body");
  assert.deepEqual(valueOf(r, "byobMin"), [1, 2, 3]);
  assert.deepEqual(valueOf(r, "tee"), ["123", "123", 4]);
  assert.deepEqual(valueOf(r, "teeCancelOne"), [null, ["a done", "b done"]]);
  assert.deepEqual(valueOf(r, "fromIterable"), ["ab", "xy"]);
  assert.deepEqual(valueOf(r, "globals"), []);
});

test("pipes and transforms: pipeThrough, pipeTo, errors and abort", async () => {
  const r = await runChecks(pop, "/streams");
  assert.equal(valueOf(r, "pipeThrough"), "123!");
  assert.deepEqual(valueOf(r, "pipeTo"), [["1", "2", "3"], true]);
  assertError(r, "pipeToError", "RangeError", /sink full/);
  assertError(r, "pipeAbort", "AbortError");
  assert.equal(valueOf(r, "responseFromTransform"), "piped through");
});

test("backpressure follows highWaterMark on both ends", async () => {
  const r = await runChecks(pop, "/streams");
  const [filled, afterRead, desired] = valueOf(r, "backpressure") as [number, number, number[]];
  assert.equal(filled, 3, "the source is pulled until the queue holds highWaterMark chunks");
  assert.equal(afterRead, 4, "one read makes room for one more pull");
  assert.deepEqual(desired, [3, 2, 1]);
  assert.deepEqual(valueOf(r, "writableBackpressure"), [[2, 1, 0, -1], false, true]);
  assert.equal(valueOf(r, "byteLengthStrategy"), 5);
  assert.deepEqual(valueOf(r, "transformBackpressure"), [1]);
});

test("a worker's streamed response arrives chunk by chunk", async () => {
  const res = await pop.fetch("/streaming");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-length"), null);
  const reader = res.body!.getReader();
  const chunks: string[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(new TextDecoder().decode(value));
  }
  assert.equal(chunks.join(""), "chunk0\nchunk1\nchunk2\nchunk3\nchunk4\n");
  assert.ok(chunks.length > 1, `expected several chunks, got ${chunks.length}`);
});
