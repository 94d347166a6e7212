import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startTestPop, type TestPop } from "../support/pop.js";

// Each limit test is followed by a neighbour worker and the same worker answering correctly.
let pop: TestPop;
before(async () => {
  pop = await startTestPop([
    {
      name: "spinner",
      routes: ["spinner.test/*"],
      source: `
        let requests = 0;
        export default {
          async fetch(request) {
            requests++;
            const path = new URL(request.url).pathname;
            if (path === "/sync") for (;;) {}
            if (path === "/after-await") { await new Promise((r) => setTimeout(r, 5)); for (;;) {} }
            if (path === "/slow") { await new Promise((r) => setTimeout(r, 400)); return new Response("slow done"); }
            if (path === "/work") { let x = 0; for (let i = 0; i < 2e5; i++) x += i; return new Response(String(x)); }
            return new Response("requests in this isolate: " + requests);
          },
        };`,
    },
    { name: "neighbour", routes: ["neighbour.test/*"], source: `export default { fetch() { return new Response("neighbour ok"); } }` },
  ]);
});
after(() => pop.close());

async function platformError(res: Response): Promise<{ code: string; message: string }> {
  assert.equal(res.headers.get("content-type"), "application/json");
  return ((await res.json()) as { error: { code: string; message: string } }).error;
}

test("a synchronous infinite loop is stopped at about 50 ms of CPU", async () => {
  const res = await pop.fetch("/sync", { host: "spinner.test" });
  assert.equal(res.status, 503);
  const error = await platformError(res);
  assert.equal(error.code, "worker_exceeded_cpu");
  assert.match(error.message, /50 ms/);
  const log = pop.logs.find((l) => l.path === "/sync")!;
  assert.ok(log.cpuMs >= 45 && log.cpuMs < 500, `CPU charged was ${log.cpuMs} ms`);
  const neighbour = await pop.fetch("/", { host: "neighbour.test" });
  assert.equal(await neighbour.text(), "neighbour ok");
  const again = await pop.fetch("/", { host: "spinner.test" });
  assert.equal(await again.text(), "requests in this isolate: 1", "the isolate was recreated, so its state is fresh");
});

test("a loop after an await is stopped too", async () => {
  const res = await pop.fetch("/after-await", { host: "spinner.test" });
  assert.equal(res.status, 503);
  assert.equal((await platformError(res)).code, "worker_exceeded_cpu");
  assert.equal(await (await pop.fetch("/", { host: "neighbour.test" })).text(), "neighbour ok");
  assert.match(await (await pop.fetch("/", { host: "spinner.test" })).text(), /requests in this isolate: 1/);
});

test("other requests in flight on the killed isolate fail with the same code", async () => {
  const slow = pop.fetch("/slow", { host: "spinner.test" });
  await new Promise((r) => setTimeout(r, 100));
  const spin = await pop.fetch("/sync", { host: "spinner.test" });
  assert.equal(spin.status, 503);
  const slowRes = await slow;
  assert.equal(slowRes.status, 503);
  assert.equal((await platformError(slowRes)).code, "worker_exceeded_cpu");
});

test("CPU is charged per request: many requests of modest work all pass", async () => {
  const results = await Promise.all(Array.from({ length: 20 }, () => pop.fetch("/work", { host: "spinner.test" })));
  for (const res of results) assert.equal(res.status, 200);
});
