import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { VergeError } from "../../src/errors.js";
import { defaultLimits } from "../../src/limits.js";
import { startTestPop, type TestPop } from "../support/pop.js";

let pop: TestPop;
before(async () => {
  pop = await startTestPop([
    {
      name: "hog",
      routes: ["hog.test/*"],
      limits: { memoryMb: 64, cpuMs: 5000 },
      source: `
        let served = 0;
        export default {
          fetch(request) {
            served++;
            if (new URL(request.url).pathname === "/bomb") {
              const keep = [];
              for (;;) keep.push(new Array(1e6).fill(Math.random()));
            }
            return new Response("hog ok " + served);
          },
        };`,
    },
    { name: "neighbour", routes: ["neighbour.test/*"], source: `export default { fetch() { return new Response("neighbour ok"); } }` },
  ]);
});
after(() => pop.close());

test("a memory bomb is stopped at the isolate's heap limit", async () => {
  const res = await pop.fetch("/bomb", { host: "hog.test" });
  assert.equal(res.status, 503);
  const body = (await res.json()) as { error: { code: string; message: string } };
  assert.equal(body.error.code, "worker_exceeded_memory");
  assert.match(body.error.message, /64 MB/);
  assert.equal(await (await pop.fetch("/", { host: "neighbour.test" })).text(), "neighbour ok");
  assert.equal(await (await pop.fetch("/", { host: "hog.test" })).text(), "hog ok 1");
});

test("a bundle over 10 MB is refused at load with script_too_large, and the PoP keeps serving", async () => {
  const code = `var x = "${"x".repeat(11 * 1024 * 1024)}";`;
  assert.throws(
    () => pop.pop.setWorkers([{ definition: { name: "huge", version: "v1", code, limits: defaultLimits(), env: {} }, routes: [] }]),
    (error: unknown) => error instanceof VergeError && error.code === "script_too_large" && /over the 10\.\d* MB limit/.test(error.message),
  );
  assert.equal(await (await pop.fetch("/", { host: "neighbour.test" })).text(), "neighbour ok");
});
