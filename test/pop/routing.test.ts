import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startTestPop, type TestPop } from "../support/pop.js";

const named = (name: string) => `export default { fetch(r) { return new Response("${name} " + new URL(r.url).pathname); } }`;

let pop: TestPop;
before(async () => {
  pop = await startTestPop([
    { name: "site", routes: ["example.com/*"], source: named("site") },
    { name: "api", routes: ["example.com/api/*", "*.example.com/api/*"], source: named("api") },
    { name: "shop", routes: ["*shop.test/*"], source: named("shop") },
    { name: "health", routes: ["*/healthz"], source: named("health") },
  ]);
});
after(() => pop.close());

const cases: [string, string, string][] = [
  ["example.com", "/", "site /"],
  ["example.com", "/about", "site /about"],
  ["example.com", "/api/users", "api /api/users"],
  ["eu.example.com", "/api/users", "api /api/users"],
  ["EXAMPLE.com:8787", "/api/x", "api /api/x"],
  ["shop.test", "/cart", "shop /cart"],
  ["www.shop.test", "/cart", "shop /cart"],
  ["anything.test", "/healthz", "health /healthz"],
];

for (const [host, path, expected] of cases) {
  test(`${host}${path} goes to the most specific route`, async () => {
    assert.equal(await (await pop.fetch(path, { host })).text(), expected);
  });
}

test("a request no route matches gets 404 no_route naming the host and path", async () => {
  const res = await pop.fetch("/", { host: "other.test" });
  assert.equal(res.status, 404);
  const body = (await res.json()) as { error: { code: string; message: string } };
  assert.equal(body.error.code, "no_route");
  assert.match(body.error.message, /other\.test\//);
  assert.equal(res.headers.get("x-verge-pop"), "test");
  assert.ok(res.headers.get("x-verge-ray"));
});

test("a malformed route pattern is refused naming the pattern", () => {
  assert.throws(
    () => pop.pop.setWorkers([{ definition: { ...pop.pop.workers.runtimes[0].definition, name: "bad" }, routes: ["/no-host"] }]),
    /Invalid route pattern: "\/no-host"/,
  );
});
