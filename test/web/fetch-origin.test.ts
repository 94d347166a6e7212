/**
 * @module fetch() from a worker to a local origin through the PoP's egress:
 * round trips, streamed uploads and downloads, redirects, aborts, and a
 * response passed through to the client while it streams.
 */
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { startTestPop, type TestPop } from "../support/pop.js";
import { assertError, CHECK_LIMITS, checksWorker, pathRoute, runChecks, valueOf } from "./checks.js";

/** Gates: a response that wrote its first chunk waits until the gate of its name is opened. */
const gates = new Map<string, { open: () => void; opened: Promise<void> }>();
function gate(name: string): { open: () => void; opened: Promise<void> } {
  let entry = gates.get(name);
  if (!entry) {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    entry = { open, opened };
    gates.set(name, entry);
  }
  return entry;
}

const hanging: ServerResponse[] = [];
const reports: string[] = [];
let reported: (() => void) | undefined;
function report(event: string): void {
  reports.push(event);
  reported?.();
}
/** Waits until the origin has received `count` reports (or fails after 5 s). */
async function reportsArrived(count: number): Promise<string[]> {
  const deadline = Date.now() + 5000;
  while (reports.length < count) {
    if (Date.now() > deadline) assert.fail(`expected ${count} reports, got ${JSON.stringify(reports)}`);
    await new Promise<void>((resolve) => {
      reported = resolve;
      setTimeout(resolve, 50);
    });
  }
  return [...reports].sort();
}
let hangClosed: Promise<void>;
let onHangClosed: () => void;

function readBody(req: IncomingMessage): Promise<{ text: string; chunks: number }> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on("data", (chunk: Buffer) => parts.push(chunk));
    req.on("end", () => resolve({ text: Buffer.concat(parts).toString("utf8"), chunks: parts.length }));
    req.on("error", reject);
  });
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://origin");
  const name = url.searchParams.get("gate") ?? "";
  switch (url.pathname) {
    case "/echo": {
      const body = await readBody(req);
      res.writeHead(201, "Made It", [["content-type", "application/json"], ["x-origin", "yes"], ["set-cookie", "a=1; Path=/"], ["set-cookie", "b=2"]]);
      res.end(JSON.stringify({ method: req.method, headers: req.headers, body: body.text, chunks: body.chunks }));
      return;
    }
    case "/redirect": {
      const n = Number(url.searchParams.get("n"));
      res.writeHead(302, { location: n > 1 ? `/redirect?n=${n - 1}` : "/final" });
      res.end();
      return;
    }
    case "/final":
      res.end("final");
      return;
    case "/gated":
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("first|");
      await gate(name).opened;
      res.end("second");
      return;
    case "/open":
      gate(name).open();
      res.end("opened");
      return;
    case "/hang":
      req.socket.once("close", () => onHangClosed());
      hanging.push(res);
      return;
    case "/report":
      report(url.searchParams.get("event") ?? "");
      res.end("noted");
      return;
    case "/missing":
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("nothing here");
      return;
    default:
      res.writeHead(500);
      res.end(`unknown path ${url.pathname}`);
  }
}

const originChecks = `{
  roundTrip: async (request, env) => {
    const res = await fetch(env.ORIGIN + "/echo?x=1", { method: "POST", headers: { "x-custom": "v", "content-type": "text/x-ping" }, body: "ping" });
    const echoed = await res.json();
    return { status: res.status, statusText: res.statusText, ok: res.ok, url: res.url, redirected: res.redirected, origin: res.headers.get("x-origin"), cookies: res.headers.getSetCookie(), method: echoed.method, body: echoed.body, custom: echoed.headers["x-custom"], type: echoed.headers["content-type"], length: echoed.headers["content-length"] };
  },
  fetchedHeadersImmutable: async (request, env) => {
    const res = await fetch(env.ORIGIN + "/final");
    const error = await errorOf(() => res.headers.set("x-a", "1"));
    const copy = new Response(res.body, res);
    copy.headers.set("x-a", "1");
    return [error.name, copy.headers.get("x-a"), copy.status, await copy.text()];
  },
  streamedUpload: async (request, env) => {
    const parts = ["alpha ", "beta ", "gamma"];
    const body = new ReadableStream({ pull(controller) { const next = parts.shift(); if (next === undefined) controller.close(); else controller.enqueue(enc(next)); } });
    const res = await fetch(env.ORIGIN + "/echo", { method: "PUT", body, duplex: "half" });
    const echoed = await res.json();
    return [echoed.body, echoed.headers["transfer-encoding"], echoed.headers["content-length"] ?? null];
  },
  uploadNotBytes: async (request, env) => errorOf(() => fetch(env.ORIGIN + "/echo", { method: "POST", body: new ReadableStream({ start(c) { c.enqueue("text"); c.close(); } }), duplex: "half" })),
  chunkByChunk: async (request, env) => {
    const res = await fetch(env.ORIGIN + "/gated?gate=worker");
    const reader = res.body.getReader();
    const first = dec((await reader.read()).value);
    // The origin writes the rest only after this second fetch: the first chunk came before the end.
    await (await fetch(env.ORIGIN + "/open?gate=worker")).text();
    let rest = "";
    for (;;) { const { done, value } = await reader.read(); if (done) break; rest += dec(value); }
    return [first, rest, res.bodyUsed];
  },
  byobFetched: async (request, env) => {
    const res = await fetch(env.ORIGIN + "/final");
    const reader = res.body.getReader({ mode: "byob" });
    const { value } = await reader.read(new Uint8Array(3));
    return dec(value);
  },
  cloneFetched: async (request, env) => {
    const res = await fetch(env.ORIGIN + "/final");
    const copy = res.clone();
    return [await copy.text(), await res.text(), copy.url === res.url];
  },
  redirects: async (request, env) => {
    const res = await fetch(env.ORIGIN + "/redirect?n=3");
    return [res.status, res.redirected, new URL(res.url).pathname, await res.text()];
  },
  manualRedirect: async (request, env) => {
    const res = await fetch(env.ORIGIN + "/redirect?n=1", { redirect: "manual" });
    return [res.status, res.redirected, res.headers.get("location"), new URL(res.url).pathname];
  },
  errorRedirect: (request, env) => errorOf(() => fetch(env.ORIGIN + "/redirect?n=1", { redirect: "error" })),
  notFound: async (request, env) => { const res = await fetch(env.ORIGIN + "/missing"); return [res.status, res.ok, await res.text()]; },
  head: async (request, env) => { const res = await fetch(env.ORIGIN + "/final", { method: "HEAD" }); return [res.status, res.body]; },
  abortMidFlight: async (request, env) => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    return errorOf(() => fetch(env.ORIGIN + "/hang", { signal: controller.signal }));
  },
  abortReason: async (request, env) => {
    const controller = new AbortController();
    controller.abort(new RangeError("custom reason"));
    return errorOf(() => fetch(env.ORIGIN + "/final", { signal: controller.signal }));
  },
  abortDuringBody: async (request, env) => {
    const controller = new AbortController();
    const res = await fetch(env.ORIGIN + "/gated?gate=never", { signal: controller.signal });
    const reader = res.body.getReader();
    const first = dec((await reader.read()).value);
    const pending = reader.read();
    controller.abort();
    return [first, await errorOf(() => pending)];
  },
  timeoutSignal: (request, env) => errorOf(() => fetch(env.ORIGIN + "/hang", { signal: AbortSignal.timeout(20) })),
  requestBodyUsed: async (request, env) => {
    const req = new Request(env.ORIGIN + "/echo", { method: "POST", body: "once" });
    const first = await (await fetch(req)).json();
    return [first.body, req.bodyUsed, await errorOf(() => fetch(req))];
  },
  forwardIncoming: async (request, env) => {
    const res = await fetch(new Request(env.ORIGIN + "/echo", request));
    const echoed = await res.json();
    return [echoed.method, echoed.body, echoed.headers["x-forwarded"]];
  },
  lowerCaseMethod: async (request, env) => (await (await fetch(env.ORIGIN + "/echo", { method: "patch", body: "p" })).json()).method,
  refused: (request, env) => errorOf(() => fetch(env.CLOSED + "/")),
  badUrls: (request, env) => Promise.all(["/relative", "ftp://example.com/", "http://exa mple.com/"].map((url) => errorOf(() => fetch(url)))),
}`;

/** Reports to the origin when the client leaves (request.signal) and when its response stream is cancelled. */
const leaving = (pending: boolean) => `
export default {
  fetch(request, env, ctx) {
    const tell = (event) => fetch(env.ORIGIN + "/report?event=" + encodeURIComponent(event)).then((res) => res.text());
    ctx.waitUntil(new Promise((resolve) => request.signal.addEventListener("abort", () => resolve(tell("abort:" + request.signal.reason.name + ":" + request.signal.aborted)))));
    let sent = 0;
    return new Response(new ReadableStream({
      pull(controller) {
        if (sent++ === 0) return controller.enqueue(new TextEncoder().encode("hello "));
        ${pending ? "return new Promise(() => {});" : 'return new Promise((resolve) => setTimeout(() => resolve(controller.enqueue(new TextEncoder().encode("tick "))), 10));'}
      },
      cancel() { ctx.waitUntil(tell("cancel")); },
    }));
  },
};`;

const passThrough = `export default { fetch(request, env) { return fetch(env.ORIGIN + "/gated?gate=client"); } };`;

let origin: Server;
let pop: TestPop;
before(async () => {
  hangClosed = new Promise((resolve) => (onHangClosed = resolve));
  origin = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => res.destroy(error as Error));
  });
  await new Promise<void>((resolve) => origin.listen(0, "127.0.0.1", resolve));
  // A port that was just closed: connecting to it is refused.
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  const closedPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const env = { ORIGIN: `http://127.0.0.1:${(origin.address() as AddressInfo).port}`, CLOSED: `http://127.0.0.1:${closedPort}` };
  pop = await startTestPop([
    { name: "origin", source: checksWorker(originChecks), routes: pathRoute("origin"), limits: CHECK_LIMITS, env },
    { name: "pass", source: passThrough, routes: pathRoute("pass"), limits: CHECK_LIMITS, env },
    { name: "leave-ticking", source: leaving(false), routes: pathRoute("leave-ticking"), limits: CHECK_LIMITS, env },
    { name: "leave-pending", source: leaving(true), routes: pathRoute("leave-pending"), limits: CHECK_LIMITS, env },
  ]);
});
after(async () => {
  for (const res of hanging) res.destroy();
  for (const entry of gates.values()) entry.open();
  await pop.close();
  origin.closeAllConnections();
  origin.close();
});

test("fetch round trip, streamed upload and download, redirects", async () => {
  const r = await runChecks(pop, "/origin", { method: "POST", body: "forwarded body", headers: { "x-forwarded": "1" } });
  const trip = valueOf(r, "roundTrip") as Record<string, unknown>;
  assert.equal(trip.status, 201);
  assert.equal(trip.statusText, "Made It");
  assert.equal(trip.ok, true);
  assert.match(trip.url as string, /^http:\/\/127\.0\.0\.1:\d+\/echo\?x=1$/);
  assert.equal(trip.redirected, false);
  assert.equal(trip.origin, "yes");
  assert.deepEqual(trip.cookies, ["a=1; Path=/", "b=2"]);
  assert.deepEqual([trip.method, trip.body, trip.custom, trip.type, trip.length], ["POST", "ping", "v", "text/x-ping", "4"]);
  assert.deepEqual(valueOf(r, "fetchedHeadersImmutable"), ["TypeError", "1", 200, "final"]);
  assert.deepEqual(valueOf(r, "streamedUpload"), ["alpha beta gamma", "chunked", null]);
  assertError(r, "uploadNotBytes", "TypeError", /bytes/);
  assert.deepEqual(valueOf(r, "chunkByChunk"), ["first|", "second", true]);
  assert.equal(valueOf(r, "byobFetched"), "fin");
  assert.deepEqual(valueOf(r, "cloneFetched"), ["final", "final", true]);
  assert.deepEqual(valueOf(r, "redirects"), [200, true, "/final", "final"]);
  assert.deepEqual(valueOf(r, "manualRedirect"), [302, false, "/final", "/redirect"]);
  assertError(r, "errorRedirect", "TypeError", /redirect/);
  assert.deepEqual(valueOf(r, "notFound"), [404, false, "nothing here"]);
  assert.deepEqual(valueOf(r, "head"), [200, null]);
  assert.deepEqual((valueOf(r, "requestBodyUsed") as unknown[]).slice(0, 2), ["once", true]);
  assert.equal((valueOf(r, "requestBodyUsed") as { name: string }[])[2].name, "TypeError");
  assert.deepEqual(valueOf(r, "forwardIncoming"), ["POST", "forwarded body", "1"]);
  assert.equal(valueOf(r, "lowerCaseMethod"), "PATCH");
  assertError(r, "refused", "TypeError", /ECONNREFUSED/);
  const bad = valueOf(r, "badUrls") as { name: string }[];
  assert.deepEqual(bad.map((e) => e.name), ["TypeError", "TypeError", "TypeError"]);
});

test("an AbortSignal aborts fetch in flight and the response body afterwards", async () => {
  const r = await runChecks(pop, "/origin?only=abortMidFlight");
  assertError(r, "abortMidFlight", "AbortError");
  // The host's request to the origin was aborted too, not left hanging.
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("the origin request was not aborted")), 5000)));
  await Promise.race([hangClosed, late]).finally(() => clearTimeout(timer));
  const more = await runChecks(pop, "/origin?only=abortReason");
  assertError(more, "abortReason", "RangeError", /custom reason/);
  const during = await runChecks(pop, "/origin?only=abortDuringBody");
  const [first, error] = valueOf(during, "abortDuringBody") as [string, { name: string }];
  assert.deepEqual([first, error.name], ["first|", "AbortError"]);
  const timeout = await runChecks(pop, "/origin?only=timeoutSignal");
  assertError(timeout, "timeoutSignal", "TimeoutError");
});

test("a fetched response returned unchanged streams to the client", async () => {
  const res = await pop.fetch("/pass");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/plain");
  const reader = res.body!.getReader();
  let text = "";
  while (!text.includes("|")) {
    const { done, value } = await reader.read();
    assert.equal(done, false, "the body ended before the gate opened");
    text += new TextDecoder().decode(value);
  }
  assert.equal(text, "first|", "the first chunk reached the client while the origin was still sending");
  gate("client").open();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  assert.equal(text, "first|second");
});

test("a client that leaves aborts request.signal and cancels the response stream", async () => {
  for (const path of ["/leave-ticking", "/leave-pending"]) {
    reports.length = 0;
    const controller = new AbortController();
    const res = await pop.fetch(path, { signal: controller.signal });
    const reader = res.body!.getReader();
    assert.equal(new TextDecoder().decode((await reader.read()).value), "hello ");
    controller.abort();
    assert.deepEqual(await reportsArrived(2), ["abort:AbortError:true", "cancel"], path);
  }
});
