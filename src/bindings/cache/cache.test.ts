/**
 * Tests of the Cache API in a worker: put / match / delete by HTTP caching
 * rules, named caches, conditional requests, Vary, tenant isolation, and
 * bad input refused with a clear error and nothing stored.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startTestPop, type TestPop } from "../../../test/support/pop.js";

const worker = (name: string) => ({
  name,
  routes: [`${name}.test/*`],
  source: `
    export default {
      async fetch(request) {
        const url = new URL(request.url);
        const op = url.pathname.slice(1);
        const key = "https://example.com/" + (url.searchParams.get("key") ?? "a");
        const cache = url.searchParams.has("named") ? await caches.open(url.searchParams.get("named")) : caches.default;
        try {
          if (op === "put") {
            const headers = JSON.parse(url.searchParams.get("headers") ?? "{}");
            const status = Number(url.searchParams.get("status") ?? 200);
            await cache.put(new Request(key, { method: url.searchParams.get("method") ?? "GET" }), new Response(status === 304 || status === 204 ? null : "body:" + (url.searchParams.get("body") ?? key), { status, headers }));
            return new Response("stored");
          }
          if (op === "match") {
            const headers = JSON.parse(url.searchParams.get("headers") ?? "{}");
            const hit = await cache.match(new Request(key, { headers, method: url.searchParams.get("method") ?? "GET" }), { ignoreMethod: url.searchParams.has("ignoreMethod") });
            if (!hit) return new Response("miss", { status: 404 });
            return new Response(hit.status === 304 ? "" : await hit.text(), { status: hit.status === 304 ? 299 : 200, headers: { "x-status": String(hit.status), "x-cache": hit.headers.get("cf-cache-status") ?? "", "x-etag": hit.headers.get("etag") ?? "" } });
          }
          if (op === "delete") return new Response(String(await cache.delete(key)));
          if (op === "put-large") { await cache.put(key, new Response("x".repeat(Number(url.searchParams.get("size"))))); return new Response("stored"); }
          if (op === "bad-name") { await caches.open(42); return new Response("no error"); }
          if (op === "new-cache") { new Cache(); return new Response("no error"); }
          return new Response("unknown op", { status: 400 });
        } catch (error) {
          return new Response(error.name + ": " + error.message, { status: 500 });
        }
      },
    };`,
});

let pop: TestPop;
before(async () => {
  // A 1 MiB cache: one response may be at most 128 KiB.
  pop = await startTestPop([worker("one"), worker("two")], { cache: { maxBytes: 1024 * 1024 } });
});
after(() => pop.close());

const call = (op: string, params: Record<string, string> = {}, who = "one") => pop.fetch(`/${op}?${new URLSearchParams(params)}`, { host: `${who}.test` });
const json = (value: unknown) => JSON.stringify(value);

describe("Cache API", () => {
  test("put then match returns the stored response with cf-cache-status HIT; delete removes it", async () => {
    await call("put", { key: "k1", headers: json({ "cache-control": "max-age=60" }) });
    const hit = await call("match", { key: "k1" });
    assert.equal(hit.status, 200);
    assert.equal(await hit.text(), "body:https://example.com/k1");
    assert.equal(hit.headers.get("x-cache"), "HIT");
    assert.equal(await (await call("delete", { key: "k1" })).text(), "true");
    assert.equal((await call("match", { key: "k1" })).status, 404);
    assert.equal(await (await call("delete", { key: "k1" })).text(), "false");
  });

  test("HTTP caching decides what put stores", async () => {
    const cases: [string, Record<string, string>, number, boolean][] = [
      ["max-age", { "cache-control": "max-age=60" }, 200, true],
      ["s-maxage over max-age=0", { "cache-control": "max-age=0, s-maxage=60" }, 200, true],
      ["no-store", { "cache-control": "no-store, max-age=60" }, 200, false],
      ["private", { "cache-control": "private, max-age=60" }, 200, false],
      ["max-age=0", { "cache-control": "max-age=0" }, 200, false],
      ["Expires in the future", { expires: new Date(Date.now() + 60_000).toUTCString() }, 200, true],
      ["Expires in the past", { expires: new Date(Date.now() - 60_000).toUTCString() }, 200, false],
      ["no headers: default edge TTL for 200", {}, 200, true],
      ["no headers: 500 is not cached", {}, 500, false],
      ["no headers: 404 gets 3 minutes", {}, 404, true],
      ["Set-Cookie keeps it out", { "set-cookie": "a=1", "cache-control": "max-age=60" }, 200, false],
      ["private=Set-Cookie stores the rest", { "set-cookie": "a=1", "cache-control": 'max-age=60, private="Set-Cookie"' }, 200, true],
      ["Age past max-age", { "cache-control": "max-age=60", age: "120" }, 200, false],
    ];
    for (const [name, headers, status, stored] of cases) {
      const key = `table-${name.replace(/\W+/g, "-")}`;
      const put = await call("put", { key, headers: json(headers), status: String(status) });
      assert.equal(put.status, 200, `${name}: put answered ${await put.text()}`);
      const match = await call("match", { key });
      assert.equal(match.status === 200, stored, `${name}: expected ${stored ? "stored" : "not stored"}, match answered ${match.status}`);
    }
  });

  test("max-age expires; stale-while-revalidate serves STALE within its window", async () => {
    await call("put", { key: "short", headers: json({ "cache-control": "max-age=1" }) });
    await call("put", { key: "swr", headers: json({ "cache-control": "max-age=1, stale-while-revalidate=30" }) });
    assert.equal((await call("match", { key: "short" })).status, 200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.equal((await call("match", { key: "short" })).status, 404);
    const stale = await call("match", { key: "swr" });
    assert.equal(stale.status, 200);
    assert.equal(stale.headers.get("x-cache"), "STALE");
  });

  test("conditional requests: a matching If-None-Match or If-Modified-Since gets 304", async () => {
    const lastModified = new Date(Date.now() - 3_600_000).toUTCString();
    await call("put", { key: "cond", headers: json({ "cache-control": "max-age=60", etag: '"v1"', "last-modified": lastModified }) });
    const cases: [Record<string, string>, number][] = [
      [{ "if-none-match": '"v1"' }, 304],
      [{ "if-none-match": 'W/"v1"' }, 304],
      [{ "if-none-match": '"v0", "v1"' }, 304],
      [{ "if-none-match": '"v2"' }, 200],
      [{ "if-modified-since": new Date().toUTCString() }, 304],
      [{ "if-modified-since": new Date(Date.now() - 7_200_000).toUTCString() }, 200],
      [{ "if-none-match": '"v2"', "if-modified-since": new Date().toUTCString() }, 200],
    ];
    for (const [headers, status] of cases) {
      const res = await call("match", { key: "cond", headers: json(headers) });
      assert.equal(res.headers.get("x-status"), String(status), `${json(headers)}`);
      if (status === 304) assert.equal(res.headers.get("x-etag"), '"v1"');
    }
  });

  test("Vary: each variant of the varied header is stored apart", async () => {
    const put = (lang: string) => pop.fetch(`/put?${new URLSearchParams({ key: "vary", body: lang, headers: json({ "cache-control": "max-age=60", vary: "Accept-Language" }) })}`, { host: "one.test" });
    await put("en");
    const en = await call("match", { key: "vary" });
    assert.equal(await en.text(), "body:en");
    const fr = await call("match", { key: "vary", headers: json({ "accept-language": "fr" }) });
    assert.equal(fr.status, 404, "a request with another Accept-Language does not match the stored variant");
  });

  test("named caches and workers are separate", async () => {
    await call("put", { key: "shared", named: "images", headers: json({ "cache-control": "max-age=60" }) });
    assert.equal((await call("match", { key: "shared", named: "images" })).status, 200);
    assert.equal((await call("match", { key: "shared" })).status, 404, "caches.default does not see a named cache");
    assert.equal((await call("match", { key: "shared", named: "other" })).status, 404);
    assert.equal((await call("match", { key: "shared", named: "images" }, "two")).status, 404, "another worker does not see it");
  });

  test("match ignores non-GET requests unless ignoreMethod", async () => {
    await call("put", { key: "m", headers: json({ "cache-control": "max-age=60" }) });
    assert.equal((await call("match", { key: "m", method: "POST" })).status, 404);
    assert.equal((await call("match", { key: "m", method: "POST", ignoreMethod: "1" })).status, 200);
  });

  test("bad input is refused with an error naming it, and nothing is stored", async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ key: "bad-post", method: "POST", headers: json({ "cache-control": "max-age=60" }) }, /TypeError: Cache.put: only GET requests can be cached: received POST/],
      [{ key: "bad-206", status: "206", headers: json({ "cache-control": "max-age=60" }) }, /TypeError: Cache.put: a partial response \(206\) cannot be cached/],
      [{ key: "bad-vary", headers: json({ "cache-control": "max-age=60", vary: "*" }) }, /TypeError: Cache.put: a response with Vary: \* cannot be cached/],
    ];
    for (const [params, message] of cases) {
      const res = await call("put", params);
      assert.equal(res.status, 500);
      assert.match(await res.text(), message);
      assert.equal((await call("match", { key: params.key, ignoreMethod: "1" })).status, 404, `${params.key} stored nothing`);
    }
    assert.match(await (await call("bad-name")).text(), /TypeError: caches.open: the cache name must be a string: received number/);
    const large = await call("put-large", { key: "large", size: String(200 * 1024) });
    assert.match(await large.text(), /RangeError: Cache.put: the body is 204800 bytes, over the PoP's limit of 131072 bytes per object/);
    assert.equal((await call("match", { key: "large" })).status, 404);
    assert.equal(await (await call("put-large", { key: "fits", size: String(100 * 1024) })).text(), "stored");
    assert.match(await (await call("new-cache")).text(), /TypeError: Illegal constructor/);
  });
});
