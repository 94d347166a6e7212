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
      name: "fanout",
      env: { ORIGIN: origin.url },
      source: `
        export default {
          async fetch(request, env) {
            const results = [];
            for (let i = 1; i <= 51; i++) {
              try {
                const res = await fetch(env.ORIGIN + "/n" + i);
                results.push(res.status + ":" + (await res.text()));
              } catch (error) {
                results.push(error.name + ": " + error.message);
              }
            }
            return Response.json(results);
          },
        };`,
    },
  ]);
});
after(async () => {
  await pop.close();
  await origin.close();
});

test("the 51st fetch of a request rejects with a TypeError naming the limit", async () => {
  const results = (await (await pop.fetch("/")).json()) as string[];
  assert.equal(results.length, 51);
  assert.deepEqual(results.slice(0, 50), Array.from({ length: 50 }, () => "200:origin"));
  assert.match(results[50], /^TypeError: Too many subrequests.*50 subrequests per request/);
  assert.equal(origin.requests.length, 50, "the 51st never reached the origin");
});

test("the count is per request: the next request gets 50 again", async () => {
  const results = (await (await pop.fetch("/")).json()) as string[];
  assert.equal(results.filter((r) => r === "200:origin").length, 50);
});
