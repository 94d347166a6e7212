/**
 * @module Headers, Request and Response inside a real isolate behind a real
 * PoP: validation, guards, static constructors, body-used rules and clone().
 */
import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { after, before, test } from "node:test";
import { startTestPop, type TestPop } from "../support/pop.js";
import { assertError, CHECK_LIMITS, checksWorker, pathRoute, runChecks, valueOf, type CheckResult } from "./checks.js";

const headerChecks = `{
  badName: () => errorOf(() => new Headers({ "bad name": "x" })),
  badNameAppend: () => errorOf(() => new Headers().append("x:y", "1")),
  badValue: () => errorOf(() => new Headers().set("x-a", "a\\r\\nb")),
  badValueNul: () => errorOf(() => new Headers([["x-a", "a\\0b"]])),
  nonByteValue: () => errorOf(() => new Headers({ "x-a": "\\u20ac" })),
  badPair: () => errorOf(() => new Headers([["a", "b", "c"]])),
  combined: () => { const h = new Headers(); h.append("Accept", "a"); h.append("accept", "b"); return h.get("ACCEPT"); },
  trimmed: () => new Headers({ "x-a": " \\t v  v \\t" }).get("x-a"),
  cookies: () => {
    const h = new Headers();
    h.append("Set-Cookie", "a=1; Path=/");
    h.append("set-cookie", "b=2, c=3");
    return { get: h.get("set-cookie"), list: h.getSetCookie(), entries: [...h] };
  },
  noCookies: () => new Headers({ a: "1" }).getSetCookie(),
  caseless: () => { const h = new Headers({ "X-Foo": "1" }); return [h.get("x-foo"), h.has("X-FOO"), [...h.keys()]]; },
  sorted: () => [...new Headers([["b", "1"], ["C", "3"], ["a", "2"], ["set-cookie", "z"], ["set-cookie", "y"]])],
  deleted: () => { const h = new Headers({ a: "1", b: "2" }); h.delete("A"); return [...h]; },
  fromHeaders: () => { const a = new Headers({ a: "1" }); const b = new Headers(a); b.set("a", "2"); return [a.get("a"), b.get("a")]; },
  forEach: () => { const out = []; new Headers({ b: "2", a: "1" }).forEach((v, k) => out.push(k + "=" + v)); return out; },
  incomingImmutable: (request) => errorOf(() => request.headers.set("x-a", "1")),
  incomingImmutableDelete: (request) => errorOf(() => request.headers.delete("host")),
  incomingCopyMutable: (request) => { const r = new Request(request); r.headers.set("x-a", "1"); return [r.headers.get("x-a"), request.headers.get("x-a")]; },
  newRequestMutable: () => { const r = new Request("https://example.com/"); r.headers.set("x-a", "1"); return r.headers.get("x-a"); },
  redirectImmutable: () => errorOf(() => Response.redirect("https://example.com/").headers.set("x-a", "1")),
  errorImmutable: () => errorOf(() => Response.error().headers.set("x-a", "1")),
  responseMutable: () => { const r = new Response("x"); r.headers.set("x-a", "1"); return r.headers.get("x-a"); },
}`;

const responseChecks = `{
  json: async () => {
    const r = Response.json({ a: [1, "two"] }, { status: 201, statusText: "Made", headers: { "x-a": "b" } });
    return [r.status, r.statusText, r.headers.get("content-type"), r.headers.get("x-a"), await r.text()];
  },
  jsonKeepsType: () => Response.json(1, { headers: { "content-type": "application/vnd.api+json" } }).headers.get("content-type"),
  jsonUndefined: () => errorOf(() => Response.json(undefined)),
  jsonNullBody: () => errorOf(() => Response.json({}, { status: 204 })),
  redirect: () => { const r = Response.redirect("https://example.com/a b?x=1", 301); return [r.status, r.headers.get("location"), r.body, [...r.headers]]; },
  redirectUrlObject: () => Response.redirect(new URL("https://example.com/x")).status,
  redirectRelative: () => errorOf(() => Response.redirect("/relative")),
  redirectBadStatus: () => errorOf(() => Response.redirect("https://example.com/", 200)),
  error: () => { const r = Response.error(); return [r.type, r.status, r.ok, r.statusText, r.body, [...r.headers]]; },
  nullBody204: () => errorOf(() => new Response("x", { status: 204 })),
  nullBody205: () => errorOf(() => new Response(new Uint8Array(0), { status: 205 })),
  nullBody304: () => errorOf(() => new Response("", { status: 304 })),
  nullBodyOk: () => new Response(null, { status: 204 }).status,
  status199: () => errorOf(() => new Response("x", { status: 199 })),
  status600: () => errorOf(() => new Response("x", { status: 600 })),
  status0: () => errorOf(() => new Response(null, { status: 0 })),
  badStatusText: () => errorOf(() => new Response("x", { statusText: "a\\nb" })),
  defaults: async () => { const r = new Response(); return [r.status, r.ok, r.statusText, r.type, r.url, r.redirected, r.body, r.bodyUsed, await r.text()]; },
  stringType: () => new Response("x").headers.get("content-type"),
  paramsType: async () => { const r = new Response(new URLSearchParams({ a: "1 2" })); return [r.headers.get("content-type"), await r.text()]; },
  blobType: () => new Response(new Blob(["x"], { type: "Image/PNG" })).headers.get("content-type"),
  bytesType: () => new Response(new Uint8Array([1])).headers.get("content-type"),
  initHeadersCopied: () => { const h = new Headers({ a: "1" }); const r = new Response("x", { headers: h }); h.set("a", "2"); return r.headers.get("a"); },
}`;

const requestChecks = `{
  getWithBody: () => errorOf(() => new Request("https://example.com/", { body: "x" })),
  headWithBody: () => errorOf(() => new Request("https://example.com/", { method: "HEAD", body: "x" })),
  getWithNullBody: () => new Request("https://example.com/", { body: null }).body,
  forbidden: () => Promise.all(["CONNECT", "trace", "Track"].map((method) => errorOf(() => new Request("https://example.com/", { method })))),
  badMethod: () => errorOf(() => new Request("https://example.com/", { method: "bad method" })),
  normalized: () => ["get", "post", "Put", "delete", "options", "head", "patch", "PATCH", "custom"].map((method) => new Request("https://example.com/", { method }).method),
  relative: () => errorOf(() => new Request("/relative")),
  invalidUrl: () => errorOf(() => new Request("http://exa mple.com/")),
  url: () => new Request("HTTPS://Example.COM:443/a/../b?q#h").url,
  urlObject: () => new Request(new URL("https://example.com/x")).url,
  badRedirect: () => errorOf(() => new Request("https://example.com/", { redirect: "sideways" })),
  defaults: () => { const r = new Request("https://example.com/"); return [r.method, r.redirect, r.body, r.bodyUsed, r.cf === undefined, r.signal instanceof AbortSignal, r.signal.aborted, r.headers instanceof Headers]; },
  bodyType: () => new Request("https://example.com/", { method: "POST", body: "x" }).headers.get("content-type"),
  incomingCf: (request) => [typeof request.cf, request.cf?.colo],
  incomingSignal: (request) => [request.signal instanceof AbortSignal, request.signal.aborted],
  incomingCopyKeepsCf: (request) => new Request(request).cf?.colo,
  incomingFields: (request) => [request.method, new URL(request.url).pathname, request.headers.get("x-test")],
  followsSignal: () => { const c = new AbortController(); const r = new Request("https://example.com/", { signal: c.signal }); const before = r.signal.aborted; c.abort(); return [before, r.signal.aborted, r.signal.reason?.name]; },
  overrides: () => { const a = new Request("https://example.com/", { method: "PUT", headers: { a: "1" } }); const b = new Request(a, { headers: { b: "2" } }); return [b.method, b.url, [...b.headers]]; },
}`;

const bodyUsedChecks = `{
  readTwice: async () => { const r = new Response("x"); const first = await r.text(); return [first, r.bodyUsed, await errorOf(() => r.text())]; },
  readTwiceMixed: async () => { const r = new Request("https://example.com/", { method: "POST", body: "{}" }); await r.json(); return errorOf(() => r.arrayBuffer()); },
  readTwiceStream: async () => { const r = new Response(new ReadableStream({ start(c) { c.enqueue(enc("ab")); c.close(); } })); await r.text(); return [r.bodyUsed, await errorOf(() => r.blob())]; },
  usedAfterStreamRead: async () => {
    const r = new Response("abc");
    const stream = r.body;
    const before = r.bodyUsed;
    const reader = stream.getReader();
    const chunk = await reader.read();
    return [before, r.bodyUsed, dec(chunk.value), r.body === stream, await errorOf(() => r.text())];
  },
  lockedBody: async () => { const r = new Response("abc"); r.body.getReader(); return [r.bodyUsed, await errorOf(() => r.text())]; },
  nullBodyNeverUsed: async () => { const r = new Response(null); await r.text(); await r.text(); return r.bodyUsed; },
  requestFromUsed: async () => {
    const a = new Request("https://example.com/", { method: "POST", body: "x" });
    await a.text();
    return errorOf(() => new Request(a));
  },
  requestFromUsedNewBody: async () => {
    const a = new Request("https://example.com/", { method: "POST", body: "x" });
    await a.text();
    return new Request(a, { body: "y" }).text();
  },
  requestFromUnusedMoves: async () => {
    const a = new Request("https://example.com/", { method: "POST", body: "moved" });
    const b = new Request(a);
    return [a.bodyUsed, await b.text(), await errorOf(() => a.text())];
  },
  requestFromUnusedStream: async () => {
    const a = new Request("https://example.com/", { method: "POST", body: new ReadableStream({ start(c) { c.enqueue(enc("s")); c.close(); } }), duplex: "half" });
    const b = new Request(a);
    return [a.bodyUsed, a.body === b.body, await b.text()];
  },
  requestAsInit: async () => {
    const a = new Request("https://example.com/a", { method: "POST", body: "as init", headers: { "x-a": "1" } });
    const b = new Request("https://other.example/b", a);
    return [b.url, b.method, b.headers.get("x-a"), a.bodyUsed, await b.text()];
  },
  nullInitBodyKeepsInput: async () => new Request(new Request("https://example.com/", { method: "POST", body: "kept" }), { body: null }).text(),
  getFromPost: () => errorOf(() => new Request(new Request("https://example.com/", { method: "POST", body: "x" }), { method: "GET" })),
  lockedStreamInit: () => { const s = new ReadableStream(); s.getReader(); return errorOf(() => new Response(s)); },
  cloneUsed: async () => { const r = new Response("x"); await r.text(); return errorOf(() => r.clone()); },
  cloneResponseStream: async () => {
    const r = new Response(new ReadableStream({ start(c) { c.enqueue(enc("a")); c.enqueue(enc("b")); c.close(); } }), { status: 201, headers: { "x-a": "1" } });
    const copy = r.clone();
    copy.headers.set("x-a", "2");
    return [await r.text(), await copy.text(), copy.status, r.headers.get("x-a"), copy.headers.get("x-a")];
  },
  cloneResponseInline: async () => { const r = new Response("inline"); const c = r.clone(); return [await c.text(), await r.text()]; },
  cloneResponseAfterBodyGetter: async () => { const r = new Response("g"); const s = r.body; const c = r.clone(); return [await c.text(), await r.text(), r.body !== s]; },
  cloneRequestStream: async () => {
    const r = new Request("https://example.com/p", { method: "POST", headers: { "x-a": "1" }, body: new ReadableStream({ start(c) { c.enqueue(enc("x")); c.enqueue(enc("y")); c.close(); } }), duplex: "half" });
    const copy = r.clone();
    const [one, two] = await Promise.all([copy.text(), r.text()]);
    return [one, two, copy.method, copy.url, copy.headers.get("x-a")];
  },
  cloneIncoming: async (request) => { const copy = request.clone(); return [await copy.text(), await request.text()]; },
}`;

let pop: TestPop;
before(async () => {
  pop = await startTestPop([
    { name: "headers", source: checksWorker(headerChecks), routes: pathRoute("headers"), limits: CHECK_LIMITS },
    { name: "response", source: checksWorker(responseChecks), routes: pathRoute("response"), limits: CHECK_LIMITS },
    { name: "request", source: checksWorker(requestChecks), routes: pathRoute("request"), limits: CHECK_LIMITS },
    { name: "body-used", source: checksWorker(bodyUsedChecks), routes: pathRoute("body-used"), limits: CHECK_LIMITS },
    { name: "method", source: `export default { fetch(request) { return new Response(request.method + " " + new Request(request).method); } }`, routes: pathRoute("method"), limits: CHECK_LIMITS },
  ]);
});
after(() => pop.close());

test("Headers validate, combine, keep cookies apart and iterate sorted", async () => {
  const r = await runChecks(pop, "/headers");
  assertError(r, "badName", "TypeError", /"bad name"/);
  assertError(r, "badNameAppend", "TypeError", /"x:y"/);
  assertError(r, "badValue", "TypeError", /a\\r\\nb/);
  assertError(r, "badValueNul", "TypeError", /a\\u0000b/);
  assertError(r, "nonByteValue", "TypeError", /€/);
  assertError(r, "badPair", "TypeError", /3 items/);
  assert.equal(valueOf(r, "combined"), "a, b");
  assert.equal(valueOf(r, "trimmed"), "v  v");
  assert.deepEqual(valueOf(r, "cookies"), {
    get: "a=1; Path=/, b=2, c=3",
    list: ["a=1; Path=/", "b=2, c=3"],
    entries: [["set-cookie", "a=1; Path=/"], ["set-cookie", "b=2, c=3"]],
  });
  assert.deepEqual(valueOf(r, "noCookies"), []);
  assert.deepEqual(valueOf(r, "caseless"), ["1", true, ["x-foo"]]);
  assert.deepEqual(valueOf(r, "sorted"), [["a", "2"], ["b", "1"], ["c", "3"], ["set-cookie", "z"], ["set-cookie", "y"]]);
  assert.deepEqual(valueOf(r, "deleted"), [["b", "2"]]);
  assert.deepEqual(valueOf(r, "fromHeaders"), ["1", "2"]);
  assert.deepEqual(valueOf(r, "forEach"), ["a=1", "b=2"]);
  assertError(r, "incomingImmutable", "TypeError", /immutable/);
  assertError(r, "incomingImmutableDelete", "TypeError", /immutable/);
  assert.deepEqual(valueOf(r, "incomingCopyMutable"), ["1", null]);
  assert.equal(valueOf(r, "newRequestMutable"), "1");
  assertError(r, "redirectImmutable", "TypeError", /immutable/);
  assertError(r, "errorImmutable", "TypeError", /immutable/);
  assert.equal(valueOf(r, "responseMutable"), "1");
});

test("Response: json, redirect, error, null-body statuses and status range", async () => {
  const r = await runChecks(pop, "/response");
  assert.deepEqual(valueOf(r, "json"), [201, "Made", "application/json", "b", '{"a":[1,"two"]}']);
  assert.equal(valueOf(r, "jsonKeepsType"), "application/vnd.api+json");
  assertError(r, "jsonUndefined", "TypeError");
  assertError(r, "jsonNullBody", "TypeError", /204/);
  assert.deepEqual(valueOf(r, "redirect"), [301, "https://example.com/a%20b?x=1", null, [["location", "https://example.com/a%20b?x=1"]]]);
  assert.equal(valueOf(r, "redirectUrlObject"), 302);
  assertError(r, "redirectRelative", "TypeError", /"\/relative"/);
  assertError(r, "redirectBadStatus", "RangeError", /200/);
  assert.deepEqual(valueOf(r, "error"), ["error", 0, false, "", null, []]);
  assertError(r, "nullBody204", "TypeError", /204/);
  assertError(r, "nullBody205", "TypeError", /205/);
  assertError(r, "nullBody304", "TypeError", /304/);
  assert.equal(valueOf(r, "nullBodyOk"), 204);
  assertError(r, "status199", "RangeError", /199/);
  assertError(r, "status600", "RangeError", /600/);
  assertError(r, "status0", "RangeError", /0/);
  assertError(r, "badStatusText", "TypeError");
  assert.deepEqual(valueOf(r, "defaults"), [200, true, "", "default", "", false, null, false, ""]);
  assert.equal(valueOf(r, "stringType"), "text/plain;charset=UTF-8");
  assert.deepEqual(valueOf(r, "paramsType"), ["application/x-www-form-urlencoded;charset=UTF-8", "a=1+2"]);
  assert.equal(valueOf(r, "blobType"), "image/png");
  assert.equal(valueOf(r, "bytesType"), null);
  assert.equal(valueOf(r, "initHeadersCopied"), "1");
});

test("Request: methods, URLs, bodies of GET/HEAD, cf and signal", async () => {
  const r = await runChecks(pop, "/request", { headers: { "x-test": "yes" } });
  assertError(r, "getWithBody", "TypeError", /GET/);
  assertError(r, "headWithBody", "TypeError", /HEAD/);
  assert.equal(valueOf(r, "getWithNullBody"), null);
  const forbidden = valueOf(r, "forbidden") as { name: string; message: string }[];
  assert.deepEqual(forbidden.map((e) => e.name), ["TypeError", "TypeError", "TypeError"]);
  assert.match(forbidden[1].message, /"trace"/);
  assertError(r, "badMethod", "TypeError", /"bad method"/);
  assert.deepEqual(valueOf(r, "normalized"), ["GET", "POST", "PUT", "DELETE", "OPTIONS", "HEAD", "PATCH", "PATCH", "CUSTOM"]);
  assertError(r, "relative", "TypeError", /"\/relative"/);
  assertError(r, "invalidUrl", "TypeError");
  assert.equal(valueOf(r, "url"), "https://example.com/b?q#h");
  assert.equal(valueOf(r, "urlObject"), "https://example.com/x");
  assertError(r, "badRedirect", "TypeError", /"sideways"/);
  assert.deepEqual(valueOf(r, "defaults"), ["GET", "follow", null, false, true, true, false, true]);
  assert.equal(valueOf(r, "bodyType"), "text/plain;charset=UTF-8");
  assert.deepEqual(valueOf(r, "incomingCf"), ["object", "test"]);
  assert.deepEqual(valueOf(r, "incomingSignal"), [true, false]);
  assert.equal(valueOf(r, "incomingCopyKeepsCf"), "test");
  assert.deepEqual(valueOf(r, "incomingFields"), ["GET", "/request", "yes"]);
  assert.deepEqual(valueOf(r, "followsSignal"), [false, true, "AbortError"]);
  assert.deepEqual(valueOf(r, "overrides"), ["PUT", "https://example.com/", [["b", "2"]]]);
});

test("bodies can be used once; Request from a used Request throws; clone() tees", async () => {
  const body = new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode("incoming-"));
      controller.enqueue(new TextEncoder().encode("body"));
      controller.close();
    },
  });
  const r: Record<string, CheckResult> = await runChecks(pop, "/body-used", { method: "POST", body, duplex: "half" });
  assert.deepEqual((valueOf(r, "readTwice") as unknown[]).slice(0, 2), ["x", true]);
  assert.equal(((valueOf(r, "readTwice") as unknown[])[2] as { name: string }).name, "TypeError");
  assertError(r, "readTwiceMixed", "TypeError", /already been used/);
  const stream = valueOf(r, "readTwiceStream") as [boolean, { name: string }];
  assert.deepEqual([stream[0], stream[1].name], [true, "TypeError"]);
  const used = valueOf(r, "usedAfterStreamRead") as unknown[];
  assert.deepEqual(used.slice(0, 4), [false, true, "abc", true]);
  assert.equal((used[4] as { name: string }).name, "TypeError");
  const locked = valueOf(r, "lockedBody") as [boolean, { name: string }];
  assert.deepEqual([locked[0], locked[1].name], [false, "TypeError"]);
  assert.equal(valueOf(r, "nullBodyNeverUsed"), false);
  assertError(r, "requestFromUsed", "TypeError", /already been used/);
  assert.equal(valueOf(r, "requestFromUsedNewBody"), "y");
  const moved = valueOf(r, "requestFromUnusedMoves") as [boolean, string, { name: string }];
  assert.deepEqual([moved[0], moved[1], moved[2].name], [true, "moved", "TypeError"]);
  assert.deepEqual(valueOf(r, "requestFromUnusedStream"), [true, false, "s"]);
  assert.deepEqual(valueOf(r, "requestAsInit"), ["https://other.example/b", "POST", "1", true, "as init"]);
  assert.equal(valueOf(r, "nullInitBodyKeepsInput"), "kept");
  assertError(r, "getFromPost", "TypeError", /GET/);
  assertError(r, "lockedStreamInit", "TypeError", /locked/);
  assertError(r, "cloneUsed", "TypeError");
  assert.deepEqual(valueOf(r, "cloneResponseStream"), ["ab", "ab", 201, "1", "2"]);
  assert.deepEqual(valueOf(r, "cloneResponseInline"), ["inline", "inline"]);
  assert.deepEqual(valueOf(r, "cloneResponseAfterBodyGetter"), ["g", "g", true]);
  assert.deepEqual(valueOf(r, "cloneRequestStream"), ["xy", "xy", "POST", "https://example.com/p", "1"]);
  assert.deepEqual(valueOf(r, "cloneIncoming"), ["incoming-body", "incoming-body"]);
});

test("the incoming request keeps the client's method, even one Request() forbids", async () => {
  for (const method of ["TRACE", "PROPFIND", "DELETE"]) {
    const text = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(`${pop.url}/method`, { method }, (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => resolve(`${res.statusCode} ${body}`));
      });
      req.on("error", reject);
      req.end();
    });
    assert.equal(text, `200 ${method} ${method}`);
  }
});
