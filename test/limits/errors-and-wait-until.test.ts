import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startOrigin, type TestOrigin } from "../support/origin.js";
import { startTestPop, type TestPop } from "../support/pop.js";

let pop: TestPop;
let origin: TestOrigin;
before(async () => {
  origin = await startOrigin();
  pop = await startTestPop([
    {
      name: "thrower",
      routes: ["thrower.test/*"],
      source: `export default { fetch() { throw new Error("secret detail 42"); } }`,
    },
    {
      name: "waiter",
      routes: ["waiter.test/*"],
      env: { ORIGIN: origin.url },
      limits: { waitUntilMs: 300 },
      source: `
        export default {
          fetch(request, env, ctx) {
            const path = new URL(request.url).pathname;
            if (path === "/after") ctx.waitUntil(new Promise((r) => setTimeout(r, 50)).then(() => fetch(env.ORIGIN + "/logged")));
            if (path === "/forever") ctx.waitUntil(new Promise(() => {}));
            return new Response("responded");
          },
        };`,
    },
  ]);
});
after(async () => {
  await pop.close();
  await origin.close();
});

test("a worker that throws gets worker_threw_exception; the message and stack go to the log only", async () => {
  const res = await pop.fetch("/", { host: "thrower.test" });
  assert.equal(res.status, 500);
  const text = await res.text();
  assert.equal(JSON.parse(text).error.code, "worker_threw_exception");
  assert.doesNotMatch(text, /secret detail/);
  const log = pop.logs.find((l) => l.worker === "thrower")!;
  assert.match(log.logs.map((l) => l.message).join("\n"), /Error: secret detail 42\n\s+at /);
});

test("waitUntil work runs after the response", async () => {
  assert.equal(await (await pop.fetch("/after", { host: "waiter.test" })).text(), "responded");
  const deadline = Date.now() + 2000;
  while (!origin.requests.some((r) => r.url === "/logged") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.ok(origin.requests.some((r) => r.url === "/logged"), "the waitUntil fetch reached the origin");
});

test("waitUntil work is cut off at the wall-time limit", async () => {
  const runtime = pop.pop.workers.runtimes.find((r) => r.definition.name === "waiter")!;
  assert.equal(await (await pop.fetch("/forever", { host: "waiter.test" })).text(), "responded");
  assert.equal(runtime.inFlight, 1, "the invocation lives on for its waitUntil work");
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(runtime.inFlight, 0, "the invocation ended at the 300 ms limit");
});
