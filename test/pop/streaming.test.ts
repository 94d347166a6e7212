import assert from "node:assert/strict";
import { after, before, test } from "node:test";

// The 100 MB case runs against a real `verge dev` process in test/cli/dev.test.ts,
// where the PoP's own memory can be measured apart from the client's.
import { startTestPop, type TestPop } from "../support/pop.js";

const MB = 1024 * 1024;
let pop: TestPop;
before(async () => {
  pop = await startTestPop([
    {
      name: "big",
      limits: { cpuMs: 10_000 },
      source: `
        export default {
          fetch(request) {
            const total = Number(new URL(request.url).searchParams.get("mb")) * ${MB};
            const chunk = new Uint8Array(64 * 1024).fill(120);
            let sent = 0;
            const body = new ReadableStream({
              pull(controller) {
                if (sent >= total) return controller.close();
                controller.enqueue(chunk.slice());
                sent += chunk.length;
              },
            });
            return new Response(body, { headers: { "content-type": "application/octet-stream" } });
          },
        };`,
    },
  ]);
});
after(() => pop.close());

test("a slow reader slows the worker instead of filling memory", async () => {
  const res = await pop.fetch("/?mb=20");
  const reader = res.body!.getReader();
  await reader.read();
  await new Promise((r) => setTimeout(r, 300));
  const runtime = pop.pop.workers.runtimes[0];
  const heapMb = runtime.heapBytes() / MB;
  assert.ok(heapMb < 20, `the isolate holds ${heapMb.toFixed(1)} MB while the client is paused`);
  await reader.cancel();
});
