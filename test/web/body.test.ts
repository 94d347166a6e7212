/**
 * @module Bodies inside a real isolate behind a real PoP: the body methods,
 * Blob and File, FormData over multipart and urlencoded (both ways, checked
 * with Node's own parser), bad stream chunks, and a 5 MB streamed upload.
 */
import assert from "node:assert/strict";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { startTestPop, type TestPop } from "../support/pop.js";
import { assertError, CHECK_LIMITS, checksWorker, pathRoute, runChecks, valueOf } from "./checks.js";

const methodChecks = `{
  responseText: () => new Response("h\\u00e9llo").text(),
  bomStripped: () => new Response(new Uint8Array([0xef, 0xbb, 0xbf, 0x61])).text(),
  invalidUtf8: () => new Response(new Uint8Array([0x61, 0xff, 0x62])).text(),
  json: () => new Response('{"a":[1,2]}').json(),
  badJson: () => errorOf(() => new Response("{nope").json()),
  arrayBuffer: async () => { const b = await new Response(new Uint8Array([1, 2, 3])).arrayBuffer(); return [b instanceof ArrayBuffer, b.byteLength, [...new Uint8Array(b)]]; },
  bytes: async () => { const b = await new Response("ab").bytes(); return [b instanceof Uint8Array, [...b]]; },
  blob: async () => { const b = await new Response("xyz", { headers: { "content-type": "text/x-test" } }).blob(); return [b instanceof Blob, b.size, b.type, await b.text()]; },
  requestMethods: async () => {
    const make = (body) => new Request("https://example.com/", { method: "PUT", body, headers: { "content-type": "application/json" } });
    return [await make('{"x":1}').json(), await make("t").text(), (await make("ab").arrayBuffer()).byteLength, [...(await make("c").bytes())], (await make("d").blob()).type];
  },
  viewCopied: async () => { const u = new Uint8Array([1, 2, 3]); const r = new Response(u.subarray(1)); u[1] = 9; return [...(await r.bytes())]; },
  streamBody: () => new Response(new ReadableStream({ start(c) { c.enqueue(enc("a")); c.enqueue(new Uint16Array([0x6362])); c.enqueue(new Uint8Array([100]).buffer); c.close(); } })).text(),
  stringChunk: () => errorOf(() => new Response(new ReadableStream({ start(c) { c.enqueue("a string"); c.close(); } })).text()),
  stringChunkCancels: async () => {
    let reason = null;
    const stream = new ReadableStream({ start(c) { c.enqueue("a string"); }, cancel(r) { reason = r; } });
    await errorOf(() => new Response(stream).text());
    return [reason instanceof TypeError, String(reason?.message)];
  },
  rewrapBody: async () => {
    const first = new Response("re-wrapped");
    const second = new Response(first.body, { status: 201 });
    return [await second.text(), first.body.locked, await errorOf(() => first.text())];
  },
  rewrapReadBody: async () => {
    const first = new Response("abc");
    await first.body.getReader().read();
    return errorOf(() => new Response(first.body));
  },
  blobNotAliased: async () => {
    const blob = new Blob(["abc"]);
    const buffer = await new Response(blob).arrayBuffer();
    new Uint8Array(buffer)[0] = 0x7a;
    return blob.text();
  },
  objectChunk: () => errorOf(() => new Response(new ReadableStream({ start(c) { c.enqueue({}); c.close(); } })).arrayBuffer()),
  erroredStream: () => errorOf(() => new Response(new ReadableStream({ pull(c) { c.error(new RangeError("source broke")); } })).text()),
  urlencoded: async () => {
    const form = await new Response("a=1&b=x+y&a=%C3%A9&empty=", { headers: { "content-type": "application/x-www-form-urlencoded" } }).formData();
    return [...form];
  },
  urlencodedFromParams: async () => [...(await new Request("https://example.com/", { method: "POST", body: new URLSearchParams([["k", "v w"]]) }).formData())],
  formDataNoType: () => errorOf(() => new Response("a=1").formData()),
  multipartRoundTrip: async () => {
    const form = new FormData();
    form.append("text", "line1\\nline2");
    form.append("file", new File([new Uint8Array([0, 1, 2, 255]), "tail"], "data.bin", { type: "application/x-test" }));
    form.append("blob", new Blob(["b"]));
    const response = new Response(form);
    const type = response.headers.get("content-type");
    const parsed = await response.formData();
    const file = parsed.get("file");
    const blob = parsed.get("blob");
    return { type: type.split(";")[0], text: parsed.get("text"), file: [file instanceof File, file.name, file.type, [...(await file.bytes())]], blob: [blob.name, blob.type] };
  },
  multipartBad: () => errorOf(() => new Response("--x\\r\\nno end", { headers: { "content-type": "multipart/form-data; boundary=x" } }).formData()),
  formDataApi: () => {
    const f = new FormData();
    f.append("a", "1"); f.append("b", "2"); f.append("a", "3"); f.set("a", "4");
    const before = [...f.keys()];
    f.delete("b");
    return [before, [...f], f.has("a"), f.get("zz"), f.getAll("a")];
  },
}`;

const blobChecks = `{
  parts: async () => { const b = new Blob(["ab", new Uint8Array([99]), new Blob(["d"]), new Uint8Array([0, 101, 0]).subarray(1, 2).buffer.slice(1, 2)]); return [b.size, await b.text()]; },
  type: () => [new Blob([], { type: "Text/HTML" }).type, new Blob([], { type: "t\\u00e9xt" }).type, new Blob([]).type],
  slice: async () => {
    const b = new Blob(["0123456789"], { type: "text/plain" });
    return [await b.slice(2, 5).text(), await b.slice(-3).text(), await b.slice(5, 2).text(), b.slice(1, 3, "X/Y").type, b.slice().type, b.slice(0, 100).size];
  },
  arrayBuffer: async () => { const buffer = await new Blob(["hi"]).arrayBuffer(); return [buffer instanceof ArrayBuffer, [...new Uint8Array(buffer)]]; },
  bytes: async () => [...(await new Blob(["A"]).bytes())],
  stream: async () => {
    const reader = new Blob(["streamed"]).stream().getReader();
    let text = "";
    for (;;) { const { done, value } = await reader.read(); if (done) break; text += dec(value); }
    return text;
  },
  file: () => { const f = new File(["x"], "a.txt", { type: "text/plain", lastModified: 1234 }); return [f instanceof Blob, f instanceof File, f.name, f.type, f.size, f.lastModified, Object.prototype.toString.call(f)]; },
  fileDefaultTime: () => { const before = Date.now(); const f = new File([], "n"); return f.lastModified >= before - 1000 && f.lastModified <= Date.now() + 1000; },
  fileNeedsName: () => errorOf(() => new File(["x"])),
  blobNotIterable: () => errorOf(() => new Blob("abc")),
}`;

const uploadChecks = `{
  formFromClient: async (request) => {
    const form = await request.formData();
    const file = form.get("upload");
    const bytes = await file.bytes();
    let sum = 0;
    for (const b of bytes) sum = (sum + b) % 65521;
    return { fields: form.getAll("field"), name: file.name, type: file.type, size: bytes.byteLength, sum, keys: [...form.keys()] };
  },
}`;

const multipartToOrigin = `
export default {
  async fetch(request, env) {
    const form = new FormData();
    form.append("greeting", "hello world");
    form.append("quote", 'say "hi"');
    const bytes = new Uint8Array(70000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7) % 256;
    form.append("file", new File([bytes], "pic.png", { type: "image/png" }));
    const res = await fetch(env.ORIGIN + "/upload", { method: "POST", body: form });
    return new Response(res.body, res);
  },
};`;

const countBytes = `
export default {
  async fetch(request) {
    const reader = request.body.getReader();
    let bytes = 0, chunks = 0, mismatches = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!(value instanceof Uint8Array)) throw new TypeError("not bytes");
      // The client sends 64 KiB chunks of i % 251: sample the bytes where they are.
      for (let i = 0; i < value.length; i += 997) if (value[i] !== ((bytes + i) % 65536) % 251) mismatches++;
      bytes += value.byteLength;
      chunks++;
    }
    return Response.json({ bytes, chunks, mismatches, bodyUsed: request.bodyUsed, length: request.headers.get("content-length") });
  },
};`;

const badStreamResponse = `
export default {
  async fetch() {
    return new Response(new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("ok ")); c.enqueue("not bytes"); c.close(); } }));
  },
};`;

let pop: TestPop;
let origin: Server;
let received: Promise<{ contentType: string; body: Buffer }>;
let onReceived: (value: { contentType: string; body: Buffer }) => void;

before(async () => {
  origin = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      onReceived({ contentType: req.headers["content-type"] ?? "", body: Buffer.concat(chunks) });
      res.end("stored");
    });
  });
  await new Promise<void>((resolve) => origin.listen(0, "127.0.0.1", resolve));
  const originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
  pop = await startTestPop([
    { name: "methods", source: checksWorker(methodChecks), routes: pathRoute("methods"), limits: CHECK_LIMITS },
    { name: "blob", source: checksWorker(blobChecks), routes: pathRoute("blob"), limits: CHECK_LIMITS },
    { name: "upload", source: checksWorker(uploadChecks), routes: pathRoute("upload"), limits: CHECK_LIMITS },
    { name: "to-origin", source: multipartToOrigin, routes: pathRoute("to-origin"), limits: CHECK_LIMITS, env: { ORIGIN: originUrl } },
    { name: "count", source: countBytes, routes: pathRoute("count"), limits: CHECK_LIMITS },
    { name: "bad-stream", source: badStreamResponse, routes: pathRoute("bad-stream"), limits: CHECK_LIMITS },
  ]);
});
after(async () => {
  await pop.close();
  origin.close();
});

test("text, json, arrayBuffer, bytes, blob and formData on Request and Response", async () => {
  const r = await runChecks(pop, "/methods");
  assert.equal(valueOf(r, "responseText"), "héllo");
  assert.equal(valueOf(r, "bomStripped"), "a");
  assert.equal(valueOf(r, "invalidUtf8"), "a\uFFFDb");
  assert.deepEqual(valueOf(r, "json"), { a: [1, 2] });
  assertError(r, "badJson", "SyntaxError");
  assert.deepEqual(valueOf(r, "arrayBuffer"), [true, 3, [1, 2, 3]]);
  assert.deepEqual(valueOf(r, "bytes"), [true, [97, 98]]);
  assert.deepEqual(valueOf(r, "blob"), [true, 3, "text/x-test", "xyz"]);
  assert.deepEqual(valueOf(r, "requestMethods"), [{ x: 1 }, "t", 2, [99], "application/json"]);
  assert.deepEqual(valueOf(r, "viewCopied"), [2, 3]);
  assert.equal(valueOf(r, "streamBody"), "abcd");
  assertError(r, "stringChunk", "TypeError", /did not return bytes: received string/);
  assert.deepEqual(valueOf(r, "stringChunkCancels"), [true, "This ReadableStream did not return bytes: received string"]);
  assert.equal(valueOf(r, "blobNotAliased"), "abc");
  const [text, locked, readAgain] = valueOf(r, "rewrapBody") as [string, boolean, { name: string }];
  assert.deepEqual([text, locked, readAgain.name], ["re-wrapped", true, "TypeError"], "a body passed on keeps its bytes and leaves the old stream locked");
  assertError(r, "rewrapReadBody", "TypeError", /locked or has already been read/);
  assertError(r, "objectChunk", "TypeError", /did not return bytes/);
  assertError(r, "erroredStream", "RangeError", /source broke/);
  assert.deepEqual(valueOf(r, "urlencoded"), [["a", "1"], ["b", "x y"], ["a", "é"], ["empty", ""]]);
  assert.deepEqual(valueOf(r, "urlencodedFromParams"), [["k", "v w"]]);
  assertError(r, "formDataNoType", "TypeError", /Content-Type/);
  assert.deepEqual(valueOf(r, "multipartRoundTrip"), {
    type: "multipart/form-data",
    text: "line1\r\nline2",
    file: [true, "data.bin", "application/x-test", [0, 1, 2, 255, 116, 97, 105, 108]],
    blob: ["blob", "application/octet-stream"],
  });
  assertError(r, "multipartBad", "TypeError", /multipart/);
  assert.deepEqual(valueOf(r, "formDataApi"), [["a", "b"], [["a", "4"]], true, null, ["4"]]);
});

test("Blob and File: parts, type, slice, reads and stream", async () => {
  const r = await runChecks(pop, "/blob");
  assert.deepEqual(valueOf(r, "parts"), [5, "abcde"]);
  assert.deepEqual(valueOf(r, "type"), ["text/html", "", ""]);
  assert.deepEqual(valueOf(r, "slice"), ["234", "789", "", "x/y", "", 10]);
  assert.deepEqual(valueOf(r, "arrayBuffer"), [true, [104, 105]]);
  assert.deepEqual(valueOf(r, "bytes"), [65]);
  assert.equal(valueOf(r, "stream"), "streamed");
  assert.deepEqual(valueOf(r, "file"), [true, true, "a.txt", "text/plain", 1, 1234, "[object File]"]);
  assert.equal(valueOf(r, "fileDefaultTime"), true);
  assertError(r, "fileNeedsName", "TypeError", /2 arguments/);
  assertError(r, "blobNotIterable", "TypeError");
});

test("a multipart POST from Node's fetch reaches request.formData() with fields and file", async () => {
  const bytes = new Uint8Array(300_000).map((_, i) => (i * 13) % 256);
  let sum = 0;
  for (const b of bytes) sum = (sum + b) % 65521;
  const form = new FormData();
  form.append("field", "one");
  form.append("field", "twö");
  form.append("upload", new File([bytes], "big.bin", { type: "application/octet-stream" }));
  const r = await runChecks(pop, "/upload", { method: "POST", body: form });
  assert.deepEqual(valueOf(r, "formFromClient"), { fields: ["one", "twö"], name: "big.bin", type: "application/octet-stream", size: 300_000, sum, keys: ["field", "field", "upload"] });
});

test("a worker's FormData with a File reaches the origin as multipart that Node parses", async () => {
  received = new Promise((resolve) => (onReceived = resolve));
  const res = await pop.fetch("/to-origin");
  assert.equal(await res.text(), "stored");
  const { contentType, body } = await received;
  assert.match(contentType, /^multipart\/form-data; boundary=/);
  const form = await new Request("http://origin.test/", { method: "POST", headers: { "content-type": contentType }, body }).formData();
  assert.equal(form.get("greeting"), "hello world");
  assert.equal(form.get("quote"), 'say "hi"');
  const file = form.get("file") as File;
  assert.equal(file.name, "pic.png");
  assert.equal(file.type, "image/png");
  const bytes = new Uint8Array(await file.arrayBuffer());
  assert.equal(bytes.byteLength, 70000);
  assert.ok(bytes.every((b, i) => b === (i * 7) % 256), "file bytes intact");
});

test("5 MB chunked upload streams into request.body without a Content-Length", async () => {
  const total = 5 * 1024 * 1024;
  const chunk = new Uint8Array(64 * 1024).map((_, i) => i % 251);
  const result = await new Promise<{ status: number; body: string; sentHeaders: Record<string, unknown> }>((resolve, reject) => {
    const req = httpRequest(`${pop.url}/count`, { method: "POST", headers: { "transfer-encoding": "chunked" } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (text: string) => (body += text));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, sentHeaders: req.getHeaders() }));
    });
    req.on("error", reject);
    let sent = 0;
    const write = () => {
      while (sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", write);
      }
      req.end();
    };
    write();
  });
  assert.equal(result.status, 200, result.body);
  assert.equal(result.sentHeaders["content-length"], undefined);
  const counted = JSON.parse(result.body) as { bytes: number; chunks: number; mismatches: number; bodyUsed: boolean; length: string | null };
  assert.equal(counted.bytes, total);
  assert.equal(counted.mismatches, 0);
  assert.ok(counted.chunks > 1, `the body arrived in ${counted.chunks} chunk(s)`);
  assert.equal(counted.bodyUsed, true);
  assert.equal(counted.length, null);
});

test("a response stream that yields a string fails the response, not the PoP", async () => {
  const res = await pop.fetch("/bad-stream");
  assert.equal(res.status, 200);
  await assert.rejects(res.text());
  const log = pop.logs.at(-1);
  assert.equal(log?.outcome, "response_stream_failed");
  assert.match(JSON.stringify(log?.logs), /did not return bytes/);
  const again = await runChecks(pop, "/blob?only=bytes");
  assert.deepEqual(valueOf(again, "bytes"), [65]);
});
