/** @module Tests of egress requests against real servers on 127.0.0.1: redirects per the Fetch standard, headers, abort. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createEgress } from "./index.js";
import { get, json, readRequest, serve, text, type TestServer } from "./testing.js";

describe("egress requests (allowLocal)", () => {
  const egress = createEgress({ allowLocal: true });
  let server: TestServer;
  let other: TestServer;
  before(async () => {
    other = await serve((req, res) => void res.end(JSON.stringify({ auth: req.headers.authorization ?? null })));
    server = await serve(async (req, res) => {
      const url = new URL(req.url ?? "/", "http://x");
      switch (url.pathname) {
        case "/echo":
          return res.end(JSON.stringify({ method: req.method, headers: req.headers, body: await readRequest(req) }));
        case "/redirect":
          return res.writeHead(Number(url.searchParams.get("status")), { location: url.searchParams.get("to") ?? "/echo" }).end("moved");
        case "/loop":
          return res.writeHead(302, { location: "/loop" }).end();
        case "/hop-by-hop":
          return res.writeHead(200, { connection: "keep-alive, x-private", "keep-alive": "timeout=5", "x-private": "1", "x-kept": "1" }).end();
        case "/slow":
          return void setTimeout(() => res.end("late"), 5000).unref();
      }
      res.writeHead(404).end();
    });
  });
  after(async () => {
    await egress.close();
    await Promise.all([server.close(), other.close()]);
  });

  it("follows redirects per the Fetch standard", async () => {
    const bytes = new TextEncoder().encode("payload");
    const hdrs: [string, string][] = [["content-type", "text/plain"], ["authorization", "secret"]];
    const post = (status: number, method = "POST", to?: string) => ({
      ...get(`${server.origin}/redirect?status=${status}${to ? `&to=${encodeURIComponent(to)}` : ""}`),
      method, headers: hdrs, body: bytes,
    });
    for (const status of [301, 302, 303]) {
      const res = await egress.fetch(post(status));
      const seen = await json(res.body);
      assert.equal(seen.method, "GET", `${status}`);
      assert.equal(seen.body, "");
      assert.equal(seen.headers["content-type"], undefined);
      assert.equal(seen.headers.authorization, "secret", "same origin keeps credentials");
      assert.equal(res.redirected, true);
      assert.equal(res.url, `${server.origin}/echo`);
    }
    for (const status of [307, 308]) {
      const seen = await json((await egress.fetch(post(status))).body);
      assert.deepEqual([seen.method, seen.body, seen.headers["content-type"]], ["POST", "payload", "text/plain"]);
    }
    const put = await json((await egress.fetch(post(303, "PUT"))).body);
    assert.equal(put.method, "GET");
    const cross = await json((await egress.fetch(post(303, "POST", `${other.origin}/`))).body);
    assert.equal(cross.auth, null, "credentials dropped when leaving the origin");
  });

  it("returns the 3xx in manual mode, throws in error mode, caps redirects and refuses to replay streams", async () => {
    const manual = await egress.fetch(get(`${server.origin}/redirect?status=302`, { redirect: "manual" }));
    assert.equal(manual.status, 302);
    assert.equal(manual.headers.find(([n]) => n === "location")?.[1], "/echo");
    assert.equal(manual.redirected, false);
    assert.equal(await text(manual.body), "moved");
    await assert.rejects(egress.fetch(get(`${server.origin}/redirect?status=301`, { redirect: "error" })), /redirect mode is "error"/);
    const capped = createEgress({ allowLocal: true, maxRedirects: 3 });
    await assert.rejects(capped.fetch(get(`${server.origin}/loop`)), /more than 3 redirects/);
    await capped.close();
    async function* once() {
      yield await Promise.resolve(new Uint8Array([1]));
    }
    const streamed = { ...get(`${server.origin}/redirect?status=307`), method: "POST", body: once() };
    await assert.rejects(egress.fetch(streamed), /cannot follow a 307 redirect with a streamed request body/);
  });

  it("drops hop-by-hop headers both ways and sends none of the client-set ones", async () => {
    const headers: [string, string][] = [
      ["Connection", "x-secret"], ["X-Secret", "1"], ["Keep-Alive", "timeout=1"], ["Upgrade", "websocket"],
      ["TE", "trailers"], ["Transfer-Encoding", "chunked"], ["Host", "evil.example"], ["X-Kept", "yes"],
    ];
    const seen = await json((await egress.fetch(get(`${server.origin}/echo`, { headers }))).body);
    for (const h of ["x-secret", "keep-alive", "upgrade", "te", "transfer-encoding"]) assert.equal(seen.headers[h], undefined, h);
    assert.equal(seen.headers.host, `127.0.0.1:${server.port}`);
    assert.equal(seen.headers["x-kept"], "yes");
    const res = await egress.fetch(get(`${server.origin}/hop-by-hop`));
    const names = res.headers.map(([n]) => n);
    assert.ok(names.includes("x-kept"));
    for (const h of ["connection", "keep-alive", "x-private"]) assert.ok(!names.includes(h), h);
    await text(res.body);
  });

  it("aborts with the signal's reason and rejects GET bodies", async () => {
    const signal = AbortSignal.timeout(50);
    await assert.rejects(egress.fetch(get(`${server.origin}/slow`, { signal })), { name: "TimeoutError" });
    await assert.rejects(egress.fetch(get(`${server.origin}/echo`, { body: new Uint8Array(1) })), TypeError);
  });
});
