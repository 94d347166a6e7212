import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, test } from "node:test";
import { startTestPop, type TestPop } from "../support/pop.js";

// Regression tests for the request path: requests sharing a promise, workers
// that never answer, lengths and statuses a worker cannot be trusted with.
let pop: TestPop;
before(async () => {
  pop = await startTestPop([
    {
      name: "shared",
      routes: ["shared.test/*"],
      source: `
        let shared;
        export default {
          async fetch(request) {
            shared ??= new Promise((resolve) => setTimeout(() => resolve("value"), 100));
            const value = await shared;
            return new Response(new URL(request.url).pathname + " got " + value);
          },
        };`,
    },
    {
      name: "silent",
      routes: ["silent.test/*"],
      source: `
        let cancelled = 0, aborted = 0;
        export default {
          fetch(request) {
            const path = new URL(request.url).pathname;
            if (path === "/stats") return Response.json({ cancelled, aborted });
            request.signal.addEventListener("abort", () => aborted++);
            if (path === "/never") return new Promise(() => {});
            return new Response(new ReadableStream({ pull() { return new Promise(() => {}); }, cancel() { cancelled++; } }));
          },
        };`,
    },
    {
      name: "liar",
      routes: ["liar.test/*"],
      source: `
        class Interim extends Response { get status() { return 103; } }
        class Crlf extends Response { get statusText() { return "OK\\r\\nx-injected: 1"; } }
        export default {
          fetch(request) {
            const path = new URL(request.url).pathname;
            if (path === "/length") return new Response("hello world, smuggled", { headers: { "content-length": "2" } });
            if (path === "/interim") return new Interim("x");
            if (path === "/crlf") return new Crlf("x");
            return new Response("ok");
          },
        };`,
    },
  ]);
});
after(() => pop.close());

const runtime = (name: string) => pop.pop.workers.runtimes.find((r) => r.definition.name === name)!;

test("two requests awaiting one shared promise each get their own response", async () => {
  const [a, b] = await Promise.all([pop.fetch("/a", { host: "shared.test" }), new Promise((r) => setTimeout(r, 20)).then(() => pop.fetch("/b", { host: "shared.test" }))]);
  assert.equal(await a.text(), "/a got value");
  assert.equal(await b.text(), "/b got value");
});

/** Starts a request and drops the connection after `ms`. */
function abandon(path: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const req = request(`${pop.url}${path}`, { headers: { host: "silent.test" } });
    req.on("error", () => resolve());
    req.on("response", (res) => res.on("data", () => {}));
    req.end();
    setTimeout(() => {
      req.destroy();
      resolve();
    }, ms);
  });
}

test("a worker that never answers does not outlive its client, and learns of the disconnect", async () => {
  await abandon("/never", 150);
  const deadline = Date.now() + 3000;
  while (runtime("silent").inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.equal(runtime("silent").inFlight <= 1, true, "the never-answering invocation is settled (its waitUntil window may remain)");
  const stats = (await (await pop.fetch("/stats", { host: "silent.test" })).json()) as { aborted: number };
  assert.ok(stats.aborted >= 1, "request.signal aborted");
});

test("a client that leaves mid-stream cancels the worker's stream", async () => {
  await abandon("/stream", 150);
  const deadline = Date.now() + 3000;
  let stats = { cancelled: 0 };
  while (stats.cancelled === 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    stats = (await (await pop.fetch("/stats", { host: "silent.test" })).json()) as { cancelled: number };
  }
  assert.equal(stats.cancelled, 1);
});

test("a worker's wrong Content-Length cannot desync the connection", async () => {
  const res = await pop.fetch("/length", { host: "liar.test" });
  assert.equal(res.headers.get("content-length"), "21");
  assert.equal(await res.text(), "hello world, smuggled");
  assert.equal(await (await pop.fetch("/", { host: "liar.test" })).text(), "ok");
});

test("an interim status or a statusText with CR LF from a Response subclass is refused", async () => {
  for (const path of ["/interim", "/crlf"]) {
    const res = await pop.fetch(path, { host: "liar.test" });
    assert.equal(res.status, 500, path);
    assert.equal(res.headers.get("x-injected"), null);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, "worker_threw_exception");
  }
  const log = pop.logs.filter((l) => l.worker === "liar").map((l) => l.logs.map((x) => x.message).join("\n")).join("\n");
  assert.match(log, /Invalid response status: 103/);
  assert.match(log, /Invalid statusText/);
});
