import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startOrigin, type TestOrigin } from "../support/origin.js";
import { startTestPop, type TestPop } from "../support/pop.js";

let pop: TestPop;
let origin: TestOrigin;
before(async () => {
  origin = await startOrigin((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => res.end(`origin saw ${req.method} ${req.url} ${body}`));
  });
  pop = await startTestPop(
    [
      { name: "passes", routes: ["passes.test/*"], source: `export default { async fetch(request, env, ctx) { ctx.passThroughOnException(); await request.text(); throw new Error("broken"); } }` },
      { name: "fails", routes: ["fails.test/*"], source: `export default { fetch() { throw new Error("broken"); } }` },
    ],
    { egress: { allowLocal: false } },
  );
});
after(async () => {
  await pop.close();
  await origin.close();
});

test("a worker that called passThroughOnException() and threw is answered by the origin", async () => {
  const popWithOrigin = await startTestPop(
    [{ name: "passes", source: `export default { async fetch(request, env, ctx) { ctx.passThroughOnException(); await request.text(); throw new Error("broken"); } }` }],
    { origin: origin.url, egress: { allowLocal: false } },
  );
  try {
    const res = await popWithOrigin.fetch("/some/path?q=1", { method: "POST", body: "payload" });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "origin saw POST /some/path?q=1 payload", "method, path, query and the body (already read by the worker) reach the origin");
    assert.ok(res.headers.get("x-verge-ray"));
    assert.match(popWithOrigin.logs.at(-1)?.outcome ?? "", /worker_threw_exception \(passed through/);
  } finally {
    await popWithOrigin.close();
  }
});

test("without an origin, or without passThroughOnException(), the client gets worker_threw_exception", async () => {
  const seenBefore = origin.requests.length;
  const passes = await pop.fetch("/", { host: "passes.test" });
  assert.equal(passes.status, 500);
  assert.equal(((await passes.json()) as { error: { code: string } }).error.code, "worker_threw_exception");
  const fails = await pop.fetch("/", { host: "fails.test" });
  assert.equal(fails.status, 500);
  assert.equal(origin.requests.length, seenBefore, "nothing reached the origin");
});
