import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startTestPop, type TestPop } from "./support/pop.js";

let pop: TestPop;
before(async () => {
  pop = await startTestPop([{ name: "hello", source: `export default { async fetch(request, env, ctx) { console.log("hi", request.method); return new Response("hello " + new URL(request.url).pathname, { headers: { "x-a": "1" } }); } }` }]);
});
after(() => pop.close());

test("a worker answers through the PoP", async () => {
  const res = await pop.fetch("/there");
  assert.equal(res.status, 200);
  assert.equal(await res.text(), "hello /there");
  assert.equal(res.headers.get("x-a"), "1");
  assert.equal(res.headers.get("x-verge-pop"), "test");
  assert.match(res.headers.get("x-verge-ray") ?? "", /^[0-9a-f]{16}-test$/);
  assert.deepEqual(pop.logs.at(-1)?.logs, [{ level: "log", message: "hi GET" }]);
});
