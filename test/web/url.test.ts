/**
 * @module URL, URLSearchParams and URLPattern inside a real isolate: parsing
 * edge cases, percent-encoding, IPv6 and IDNA hosts, and pattern matching.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startTestPop, type TestPop } from "../support/pop.js";
import { assertError, CHECK_LIMITS, checksWorker, pathRoute, runChecks, valueOf } from "./checks.js";

const urlChecks = `{
  normalized: () => { const u = new URL("HTTP://EXAMPLE.com:80/a/../b?x#y"); return [u.href, u.protocol, u.host, u.port, u.pathname, u.search, u.hash, u.origin]; },
  relative: () => [new URL("../c?d", "https://example.com/a/b/").href, new URL("//other.org/x", "https://example.com/").href, new URL("?q=1", "https://example.com/p").href, new URL("#h", "https://example.com/p?q").href],
  baseUrlObject: () => new URL("x", new URL("https://example.com/dir/")).href,
  percent: () => { const u = new URL("https://example.com/a b/\\u00e9?q=a b&r=\\u00e9#f g"); return [u.pathname, u.search, u.hash, new URL("https://example.com/%7e%41").pathname]; },
  credentials: () => { const u = new URL("https://us er:p@ss@example.com/"); return [u.username, u.password, u.host]; },
  ipv6: () => { const u = new URL("http://[2001:DB8:0:0:0:0:0:1]:8080/"); return [u.hostname, u.host, u.port, new URL("http://[::ffff:1.2.3.4]/").hostname]; },
  ipv4: () => [new URL("http://0x7f.1/").hostname, new URL("http://127.1/").hostname],
  invalid: () => Promise.all(["not a url", "http://", "https://exa mple.com", "http://[::1/", "/only/path", "http://1.2.3.4.5/", "http://300.1.1.1/"].map((input) => errorOf(() => new URL(input)))),
  canParse: () => [URL.canParse("https://x/"), URL.canParse("nope"), URL.canParse("/p", "https://x/")],
  parse: () => [URL.parse("nope"), URL.parse("/p", "https://x/")?.href],
  idna: () => [new URL("http://m\\u00fcnchen.de").hostname, new URL("http://xn--mnchen-3ya.de").hostname, new URL("http://M\\u00dcNCHEN.DE/").hostname, new URL("https://\\u4f8b\\u3048.jp/").host],
  idnaInvalid: () => errorOf(() => new URL("http://xn--a.com/")),
  setters: () => { const u = new URL("https://example.com/"); u.pathname = "/a b"; u.search = "x=1 2"; u.hash = "h"; u.port = "8443"; u.hostname = "b\\u00fccher.example"; return u.href; },
  defaultPortDropped: () => { const u = new URL("https://example.com:443/"); u.port = "443"; return [u.href, u.port]; },
  searchParamsLinked: () => { const u = new URL("https://example.com/?b=2&a=1"); u.searchParams.append("c", "a b"); u.searchParams.delete("b"); return u.href; },
  fileAndData: () => [new URL("file:///tmp/a%20b").pathname, new URL("data:text/plain,hi").pathname, new URL("blob:https://example.com/uuid").origin],
  json: () => JSON.stringify({ u: new URL("https://example.com/x") }),
  stringify: () => String(new URL("https://example.com")),
}`;

const paramsChecks = `{
  spaces: () => [new URLSearchParams({ q: "a b+c" }).toString(), new URLSearchParams("q=a+b%2Bc").get("q")],
  encoding: () => new URLSearchParams([["\\u00e9 &=", "\\u2603/?"], ["~*-._", "!'()"]]).toString(),
  sort: () => { const p = new URLSearchParams("z=1&a=2&m=3&a=1"); p.sort(); return p.toString(); },
  iteration: () => { const p = new URLSearchParams("?a=1&b=2&a=3"); return [[...p], [...p.keys()], [...p.values()], p.getAll("a"), p.get("a"), p.get("zz"), p.has("b"), p.has("a", "3"), p.size]; },
  forEach: () => { const out = []; new URLSearchParams("x=1&y=2").forEach((v, k) => out.push(k + v)); return out; },
  fromPairs: () => new URLSearchParams([["a", "1"], ["a", "2"]]).toString(),
  fromParams: () => { const a = new URLSearchParams("a=1"); const b = new URLSearchParams(a); b.set("a", "2"); return [a.toString(), b.toString()]; },
  setDelete: () => { const p = new URLSearchParams("a=1&b=2&a=3"); p.set("a", "9"); p.delete("b"); return p.toString(); },
  deleteValue: () => { const p = new URLSearchParams("a=1&a=2"); p.delete("a", "1"); return p.toString(); },
  badPair: () => errorOf(() => new URLSearchParams([["a"]])),
  percentDecoding: () => [new URLSearchParams("a=%zz&b=%C3%A9&c=%").get("a"), new URLSearchParams("b=%C3%A9").get("b"), new URLSearchParams("c=%").get("c")],
}`;

const patternChecks = `{
  pathname: () => { const p = new URLPattern({ pathname: "/users/:id/posts/:post" }); const m = p.exec("https://example.com/users/42/posts/abc"); return [m.pathname.groups, m.pathname.input]; },
  test: () => { const p = new URLPattern({ pathname: "/books/:id(\\\\d+)" }); return [p.test("https://x.org/books/12"), p.test("https://x.org/books/abc"), p.test({ pathname: "/books/7" })]; },
  execNull: () => new URLPattern({ pathname: "/a" }).exec("https://example.com/b"),
  full: () => { const p = new URLPattern("https://:sub.example.com/api/*"); const m = p.exec("https://eu.example.com/api/v1/items"); return [m.hostname.groups.sub, m.pathname.groups["0"], p.protocol, p.hostname]; },
  baseUrl: () => { const p = new URLPattern("/shop/:item", "https://example.com"); return [p.test("https://example.com/shop/hat"), p.test("https://other.com/shop/hat")]; },
  optionalAndWildcard: () => { const p = new URLPattern({ pathname: "/files/:name?" }); return [p.test({ pathname: "/files" }), p.test({ pathname: "/files/x" }), new URLPattern({ pathname: "/*.png" }).exec({ pathname: "/img/a.png" }).pathname.groups["0"]]; },
  search: () => new URLPattern({ search: "q=:term" }).exec("https://x/?q=cats").search.groups.term,
  withRequestUrl: (request) => new URLPattern({ pathname: "/pattern/:rest*" }).exec(request.url).pathname.groups.rest,
  badPattern: () => errorOf(() => new URLPattern({ pathname: "/(unclosed" })),
}`;

let pop: TestPop;
before(async () => {
  pop = await startTestPop([
    { name: "url", source: checksWorker(urlChecks), routes: pathRoute("url"), limits: CHECK_LIMITS },
    { name: "params", source: checksWorker(paramsChecks), routes: pathRoute("params"), limits: CHECK_LIMITS },
    { name: "pattern", source: checksWorker(patternChecks), routes: pathRoute("pattern"), limits: CHECK_LIMITS },
  ]);
});
after(() => pop.close());

test("URL parses, normalizes, resolves relative URLs and rejects invalid ones", async () => {
  const r = await runChecks(pop, "/url");
  assert.deepEqual(valueOf(r, "normalized"), ["http://example.com/b?x#y", "http:", "example.com", "", "/b", "?x", "#y", "http://example.com"]);
  assert.deepEqual(valueOf(r, "relative"), ["https://example.com/a/c?d", "https://other.org/x", "https://example.com/p?q=1", "https://example.com/p?q#h"]);
  assert.equal(valueOf(r, "baseUrlObject"), "https://example.com/dir/x");
  assert.deepEqual(valueOf(r, "percent"), ["/a%20b/%C3%A9", "?q=a%20b&r=%C3%A9", "#f%20g", "/%7e%41"]);
  assert.deepEqual(valueOf(r, "credentials"), ["us%20er", "p%40ss", "example.com"]);
  assert.deepEqual(valueOf(r, "ipv6"), ["[2001:db8::1]", "[2001:db8::1]:8080", "8080", "[::ffff:102:304]"]);
  assert.deepEqual(valueOf(r, "ipv4"), ["127.0.0.1", "127.0.0.1"]);
  const invalid = valueOf(r, "invalid") as { name: string; isTypeError: boolean }[];
  assert.deepEqual(invalid.map((e) => [e.name, e.isTypeError]), invalid.map(() => ["TypeError", true]));
  assert.deepEqual(valueOf(r, "canParse"), [true, false, true]);
  assert.deepEqual(valueOf(r, "parse"), [null, "https://x/p"]);
  assert.deepEqual(valueOf(r, "idna"), ["xn--mnchen-3ya.de", "xn--mnchen-3ya.de", "xn--mnchen-3ya.de", "xn--r8jz45g.jp"]);
  assertError(r, "idnaInvalid", "TypeError");
  assert.equal(valueOf(r, "setters"), "https://xn--bcher-kva.example:8443/a%20b?x=1%202#h");
  assert.deepEqual(valueOf(r, "defaultPortDropped"), ["https://example.com/", ""]);
  assert.equal(valueOf(r, "searchParamsLinked"), "https://example.com/?a=1&c=a+b");
  assert.deepEqual(valueOf(r, "fileAndData"), ["/tmp/a%20b", "text/plain,hi", "https://example.com"]);
  assert.equal(valueOf(r, "json"), '{"u":"https://example.com/x"}');
  assert.equal(valueOf(r, "stringify"), "https://example.com/");
});

test("URLSearchParams encodes, sorts and iterates", async () => {
  const r = await runChecks(pop, "/params");
  assert.deepEqual(valueOf(r, "spaces"), ["q=a+b%2Bc", "a b+c"]);
  assert.equal(valueOf(r, "encoding"), "%C3%A9+%26%3D=%E2%98%83%2F%3F&%7E*-._=%21%27%28%29");
  assert.equal(valueOf(r, "sort"), "a=2&a=1&m=3&z=1");
  assert.deepEqual(valueOf(r, "iteration"), [[["a", "1"], ["b", "2"], ["a", "3"]], ["a", "b", "a"], ["1", "2", "3"], ["1", "3"], "1", null, true, true, 3]);
  assert.deepEqual(valueOf(r, "forEach"), ["x1", "y2"]);
  assert.equal(valueOf(r, "fromPairs"), "a=1&a=2");
  assert.deepEqual(valueOf(r, "fromParams"), ["a=1", "a=2"]);
  assert.equal(valueOf(r, "setDelete"), "a=9");
  assert.equal(valueOf(r, "deleteValue"), "a=2");
  assertError(r, "badPair", "TypeError");
  assert.deepEqual(valueOf(r, "percentDecoding"), ["%zz", "é", "%"]);
});

test("URLPattern matches pathname groups with test() and exec()", async () => {
  const r = await runChecks(pop, "/pattern/deep/path");
  assert.deepEqual(valueOf(r, "pathname"), [{ id: "42", post: "abc" }, "/users/42/posts/abc"]);
  assert.deepEqual(valueOf(r, "test"), [true, false, true]);
  assert.equal(valueOf(r, "execNull"), null);
  assert.deepEqual(valueOf(r, "full"), ["eu", "v1/items", "https", ":sub.example.com"]);
  assert.deepEqual(valueOf(r, "baseUrl"), [true, false]);
  assert.deepEqual(valueOf(r, "optionalAndWildcard"), [true, true, "img/a"]);
  assert.equal(valueOf(r, "search"), "cats");
  assert.equal(valueOf(r, "withRequestUrl"), "deep/path");
  assertError(r, "badPattern", "TypeError");
});
