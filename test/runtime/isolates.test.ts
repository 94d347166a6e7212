import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startTestPop, type TestPop } from "../support/pop.js";

let pop: TestPop;
before(async () => {
  pop = await startTestPop([
    {
      name: "counter",
      routes: ["counter.test/*"],
      source: `
        let count = 0;
        export default {
          async fetch(request) {
            const id = ++count;
            await new Promise((r) => setTimeout(r, 20 + (id % 7)));
            const body = await request.text();
            return Response.json({ id, echoed: body });
          },
        };`,
    },
    { name: "other", routes: ["other.test/*"], source: `export default { fetch() { return new Response("other"); } }` },
  ], { eviction: { idleMs: 200, maxLoaded: 1, maxHeapBytes: 1024 ** 3 } });
});
after(() => pop.close());

const runtime = (name: string) => pop.pop.workers.runtimes.find((r) => r.definition.name === name)!;

test("one isolate serves 200 concurrent requests, each answered with its own body", async () => {
  const coldStartsBefore = runtime("counter").stats.coldStarts;
  const responses = await Promise.all(
    Array.from({ length: 200 }, (_, i) => pop.fetch("/", { host: "counter.test", method: "POST", body: `request ${i}` }).then((r) => r.json() as Promise<{ id: number; echoed: string }>)),
  );
  assert.deepEqual(responses.map((r) => r.echoed).sort(), Array.from({ length: 200 }, (_, i) => `request ${i}`).sort());
  assert.equal(new Set(responses.map((r) => r.id)).size, 200);
  assert.ok(runtime("counter").stats.coldStarts - coldStartsBefore <= 1, "at most one cold start: the isolate is reused");
});

test("sequential requests reuse the isolate and its module state", async () => {
  const a = (await (await pop.fetch("/", { host: "counter.test" })).json()) as { id: number };
  const b = (await (await pop.fetch("/", { host: "counter.test" })).json()) as { id: number };
  assert.equal(b.id, a.id + 1);
});

test("idle isolates are evicted, and the next request starts a fresh one", async () => {
  await pop.fetch("/", { host: "counter.test" });
  const before = runtime("counter").stats.coldStarts;
  assert.equal(runtime("counter").loaded, true);
  await new Promise((r) => setTimeout(r, 400));
  pop.pop.workers.evict({ idleMs: 200, maxLoaded: 10, maxHeapBytes: 1024 ** 3 });
  assert.equal(runtime("counter").loaded, false);
  const fresh = (await (await pop.fetch("/", { host: "counter.test" })).json()) as { id: number };
  assert.equal(fresh.id, 1, "module state starts over in a new isolate");
  assert.equal(runtime("counter").stats.coldStarts, before + 1);
});

test("over the cap of loaded isolates, the least recently used idle one is evicted", async () => {
  await pop.fetch("/", { host: "counter.test" });
  await pop.fetch("/", { host: "other.test" });
  pop.pop.workers.evict({ idleMs: 60_000, maxLoaded: 1, maxHeapBytes: 1024 ** 3 });
  assert.equal(runtime("counter").loaded, false);
  assert.equal(runtime("other").loaded, true);
});

test("under memory pressure, idle isolates are evicted least recently used first", async () => {
  await pop.fetch("/", { host: "counter.test" });
  await pop.fetch("/", { host: "other.test" });
  const heap = runtime("other").heapBytes();
  assert.ok(heap > 0);
  pop.pop.workers.evict({ idleMs: 60_000, maxLoaded: 10, maxHeapBytes: heap + 1 });
  assert.equal(runtime("counter").loaded, false, "the older one went");
  assert.equal(runtime("other").loaded, true, "the recent one stayed: the total is now under the budget");
});
