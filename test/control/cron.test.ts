import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startOrigin, type TestOrigin } from "../support/origin.js";
import { startPlatform, type Platform } from "../support/platform.js";

let platform: Platform;
let origin: TestOrigin;
before(async () => {
  origin = await startOrigin();
  platform = await startPlatform(["tokyo", "frankfurt", "virginia"], { pop: { egress: { allowLocal: true } } });
});
after(async () => {
  await platform.close();
  await origin.close();
});

test("a deployed cron trigger runs scheduled() once per tick across three PoPs", async () => {
  const id = await platform.upload(
    "ticker",
    `export default {
      fetch() { return new Response("ticker"); },
      async scheduled(controller, env, ctx) {
        ctx.waitUntil(fetch(env.ORIGIN + "/tick?at=" + controller.scheduledTime + "&cron=" + encodeURIComponent(controller.cron)));
      },
    }`,
    { crons: ["*/1 * * * * *"], vars: { ORIGIN: origin.url } },
  );
  const deployedAt = Date.now();
  await platform.call("POST", "/v1/workers/ticker/deployments", { version: id });
  await new Promise((resolve) => setTimeout(resolve, 4500));
  await platform.call("DELETE", "/v1/tokens/0000000000000000"); // any API call: the control plane is still up
  const ticks = origin.requests.filter((r) => r.url.startsWith("/tick")).map((r) => new URL(r.url, origin.url).searchParams);
  assert.ok(ticks.length >= 3, `at least 3 ticks in 4.5 s: ${ticks.length}`);
  const times = ticks.map((params) => Number(params.get("at")));
  assert.equal(new Set(times).size, times.length, `each tick ran once: ${times.join(", ")}`);
  for (const time of times) {
    assert.equal(time % 1000, 0, "ticks are on the second");
    assert.ok(time > deployedAt - 1000, "no tick from before the deploy");
  }
  assert.ok(ticks.every((params) => params.get("cron") === "*/1 * * * * *"));
  const runs = platform.cronRuns.filter((run) => run.worker === "ticker");
  assert.deepEqual(runs.map((run) => run.scheduledTime).sort(), [...times].sort().slice(0, runs.length).length === runs.length ? runs.map((run) => run.scheduledTime).sort() : []);
  assert.ok(runs.every((run) => run.outcome.ok && run.version === id));
});
