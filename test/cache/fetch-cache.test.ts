/**
 * Tests of subrequests through the PoP's cache: `fetch(url, { cf })` with
 * cacheTtl, cacheEverything, cacheKey, cacheTtlByStatus and cacheTags against
 * a real origin that counts what reaches it.
 */
import assert from "node:assert/strict";
import type { ServerResponse } from "node:http";
import { after, before, describe, test } from "node:test";
import { startOrigin, type TestOrigin } from "../support/origin.js";
import { startTestPop, type TestPop } from "../support/pop.js";

/** What the origin answers per path: headers, status, body and an optional delay. */
const routes = new Map<string, { status?: number; headers?: Record<string, string>; body?: string; delayMs?: number; notModifiedFor?: string }>();
let origin: TestOrigin;
let pop: TestPop;

const WORKER = `
  export default {
    async fetch(request, env) {
      const url = new URL(request.url);
      const cf = JSON.parse(url.searchParams.get("cf") ?? "{}");
      const headers = JSON.parse(url.searchParams.get("headers") ?? "{}");
      try {
        const res = await fetch(env.ORIGIN + url.pathname, { cf, headers, method: url.searchParams.get("method") ?? "GET" });
        const body = await res.text();
        return new Response(body, { status: res.status === 304 ? 299 : res.status, headers: { "x-cache": res.headers.get("cf-cache-status") ?? "none", "x-origin-status": String(res.status), "x-age": res.headers.get("age") ?? "" } });
      } catch (error) {
        return new Response(error.name + ": " + error.message, { status: 590 });
      }
    },
  };`;

before(async () => {
  origin = await startOrigin((req, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const route = routes.get(path) ?? { status: 404, body: "no route" };
    const send = () => {
      if (route.notModifiedFor !== undefined && req.headers["if-none-match"] === route.notModifiedFor) {
        res.writeHead(304, route.headers);
        res.end();
        return;
      }
      res.writeHead(route.status ?? 200, route.headers);
      res.end(route.body ?? `body of ${path} #${origin.requests.filter((r) => r.url.startsWith(path)).length}`);
    };
    if (route.delayMs) setTimeout(send, route.delayMs);
    else send();
  });
  pop = await startTestPop([{ name: "cached", source: WORKER, env: { ORIGIN: origin.url } }], { cache: { maxBytes: 64 * 1024 } });
});
after(async () => {
  await pop.close();
  await origin.close();
});

const hits = (path: string) => origin.requests.filter((r) => new URL(r.url, "http://x").pathname === path).length;
const get = (path: string, cf: object, headers: object = {}, method = "GET") => pop.fetch(`${path}?${new URLSearchParams({ cf: JSON.stringify(cf), headers: JSON.stringify(headers), method })}`);

describe("cached subrequests", () => {
  test("cacheTtl caches a response whatever its headers; the second fetch is a HIT that never reaches the origin", async () => {
    routes.set("/ttl", { headers: { "cache-control": "no-cache" } });
    const first = await get("/ttl", { cacheTtl: 60 });
    assert.equal(first.headers.get("x-cache"), "MISS");
    const second = await get("/ttl", { cacheTtl: 60 });
    assert.equal(second.headers.get("x-cache"), "HIT");
    assert.equal(await second.text(), await first.text());
    assert.equal(hits("/ttl"), 1);
  });

  test("without cf cache options nothing is cached", async () => {
    routes.set("/plain", { headers: { "cache-control": "max-age=60" } });
    await get("/plain", {});
    const second = await get("/plain", {});
    assert.equal(second.headers.get("x-cache"), "none");
    assert.equal(hits("/plain"), 2);
  });

  test("table: cacheEverything follows the origin's headers", async () => {
    const cases: [string, Record<string, string>, number, string][] = [
      ["/t-maxage", { "cache-control": "public, max-age=60" }, 200, "HIT"],
      ["/t-nostore", { "cache-control": "no-store" }, 200, "DYNAMIC"],
      ["/t-private", { "cache-control": "private, max-age=60" }, 200, "DYNAMIC"],
      ["/t-cookie", { "cache-control": "max-age=60", "set-cookie": "s=1" }, 200, "DYNAMIC"],
      ["/t-default", {}, 200, "HIT"],
      ["/t-500", {}, 500, "DYNAMIC"],
      ["/t-expires", { expires: new Date(Date.now() + 60_000).toUTCString(), date: new Date().toUTCString() }, 200, "HIT"],
    ];
    for (const [path, headers, status, second] of cases) {
      routes.set(path, { headers, status });
      await get(path, { cacheEverything: true });
      const res = await get(path, { cacheEverything: true });
      assert.equal(res.headers.get("x-cache"), second, `${path}: second fetch`);
      assert.equal(hits(path), second === "HIT" ? 1 : 2, `${path}: origin requests`);
    }
  });

  test("cacheTtlByStatus picks the TTL by status range; 0 means not cached", async () => {
    routes.set("/by-status-404", { status: 404 });
    routes.set("/by-status-200", { status: 200 });
    const cf = { cacheTtlByStatus: { "200-299": 60, "404": 0 } };
    for (const path of ["/by-status-404", "/by-status-200"]) {
      await get(path, cf);
      await get(path, cf);
    }
    assert.equal(hits("/by-status-404"), 2);
    assert.equal(hits("/by-status-200"), 1);
  });

  test("concurrent misses for one key make a single origin request", async () => {
    routes.set("/coalesce", { headers: { "cache-control": "max-age=60" }, delayMs: 150 });
    const answers = await Promise.all(Array.from({ length: 20 }, () => get("/coalesce", { cacheEverything: true })));
    const bodies = new Set(await Promise.all(answers.map((res) => res.text())));
    assert.equal(hits("/coalesce"), 1);
    assert.equal(bodies.size, 1);
    assert.deepEqual(answers.map((res) => res.status), Array(20).fill(200));
  });

  test("cacheKey stores under the given key: another URL with the same key is a HIT", async () => {
    routes.set("/key-a", { headers: { "cache-control": "max-age=60" } });
    routes.set("/key-b", { headers: { "cache-control": "max-age=60" } });
    await get("/key-a", { cacheEverything: true, cacheKey: "product-7" });
    const res = await get("/key-b", { cacheEverything: true, cacheKey: "product-7" });
    assert.equal(res.headers.get("x-cache"), "HIT");
    assert.equal(hits("/key-b"), 0);
  });

  test("an expired entry with an ETag is revalidated: the origin's 304 refreshes it (REVALIDATED)", async () => {
    routes.set("/reval", { headers: { "cache-control": "max-age=1", etag: '"e1"' }, notModifiedFor: '"e1"' });
    const first = await get("/reval", { cacheEverything: true });
    const body = await first.text();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const second = await get("/reval", { cacheEverything: true });
    assert.equal(second.headers.get("x-cache"), "REVALIDATED");
    assert.equal(await second.text(), body, "the stored body is served after a 304");
    assert.equal(origin.requests.filter((r) => r.url === "/reval").at(-1)?.headers["if-none-match"], '"e1"');
    assert.equal((await get("/reval", { cacheEverything: true })).headers.get("x-cache"), "HIT");
  });

  test("stale-while-revalidate: a stale entry is served (UPDATING) while one refresh runs in the background", async () => {
    routes.set("/swr", { headers: { "cache-control": "max-age=1, stale-while-revalidate=60" } });
    const first = await (await get("/swr", { cacheEverything: true })).text();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const stale = await get("/swr", { cacheEverything: true });
    assert.equal(stale.headers.get("x-cache"), "UPDATING");
    assert.equal(await stale.text(), first);
    const deadline = Date.now() + 3000;
    while (hits("/swr") < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(hits("/swr"), 2, "one background refresh");
    const fresh = await get("/swr", { cacheEverything: true });
    assert.equal(fresh.headers.get("x-cache"), "HIT");
    assert.notEqual(await fresh.text(), first, "the refreshed body is served");
  });

  test("the worker's own If-None-Match is answered 304 from the cache", async () => {
    routes.set("/etag", { headers: { "cache-control": "max-age=60", etag: '"x9"' } });
    await get("/etag", { cacheEverything: true });
    const res = await get("/etag", { cacheEverything: true }, { "if-none-match": '"x9"' });
    assert.equal(res.headers.get("x-origin-status"), "304");
    assert.equal(hits("/etag"), 1);
  });

  test("the PoP's cache is bounded: past the bound the least recently used entries go", async () => {
    const size = 6000; // Under the 8 KiB object limit (an eighth of the bound); twelve of them are over the bound.
    for (let i = 0; i < 12; i++) routes.set(`/lru-${i}`, { headers: { "cache-control": "max-age=60" }, body: "x".repeat(size) });
    await get("/lru-0", { cacheEverything: true });
    for (let i = 1; i < 12; i++) {
      await get(`/lru-${i}`, { cacheEverything: true });
      await get("/lru-0", { cacheEverything: true }); // Kept recently used.
    }
    assert.ok(pop.pop.cache.store.bytes <= 64 * 1024, `stored ${pop.pop.cache.store.bytes} bytes`);
    assert.equal((await get("/lru-0", { cacheEverything: true })).headers.get("x-cache"), "HIT", "the recently used entry stayed");
    assert.equal((await get("/lru-1", { cacheEverything: true })).headers.get("x-cache"), "MISS", "the least recently used entry went");
  });

  test("non-GET requests bypass the cache", async () => {
    routes.set("/post", { headers: { "cache-control": "max-age=60" } });
    const res = await get("/post", { cacheEverything: true }, {}, "POST");
    assert.equal(res.headers.get("x-cache"), "BYPASS");
  });

  test("bad cf cache options are refused with a TypeError naming the value", async () => {
    routes.set("/bad", {});
    const cases: [object, RegExp][] = [
      [{ cacheTtl: "soon" }, /TypeError: fetch: cf.cacheTtl must be a number of seconds: received "soon"/],
      [{ cacheEverything: "yes" }, /TypeError: fetch: cf.cacheEverything must be a boolean: received "yes"/],
      [{ cacheTags: "a,b" }, /TypeError: fetch: cf.cacheTags must be an array of strings: received "a,b"/],
      [{ cacheTags: ["ok", "x".repeat(1025)] }, /TypeError: fetch: cf.cacheTags: a tag is at most 1024 characters: received 1025/],
      [{ cacheTtlByStatus: { "2xx": 5 } }, /TypeError: fetch: cf.cacheTtlByStatus keys are statuses or ranges such as "200-299": received "2xx"/],
      [{ cacheKey: "" }, /TypeError: fetch: cf.cacheKey must be a string of 1 to 4096 characters: received ""/],
    ];
    for (const [cf, message] of cases) {
      const res = await get("/bad", cf);
      assert.equal(res.status, 590);
      assert.match(await res.text(), message);
    }
    assert.equal(hits("/bad"), 0);
  });
});
