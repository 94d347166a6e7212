import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { until } from "../support/network.js";
import { fetchFrom, startPlatform, type Platform } from "../support/platform.js";

let platform: Platform;
before(async () => {
  platform = await startPlatform(["tokyo", "frankfurt", "virginia"]);
});
after(() => platform.close());

test("a failing new version is rolled back automatically, and the record says why", async () => {
  const good = await platform.upload("risky", `export default { fetch() { return new Response("good"); } }`);
  await platform.call("POST", "/v1/workers/risky/deployments", { version: good });
  const bad = await platform.upload("risky", `export default { fetch() { throw new Error("bad release"); } }`);
  const rule = { windowSeconds: 10, marginPercent: 5, minRequests: 10 };
  const split = await platform.call("POST", "/v1/workers/risky/deployments", { version: bad, percent: 50, autoRollback: rule });
  assert.deepEqual(split.json.deployment.autoRollback, rule);
  const pops = Object.values(platform.pops);
  let client = 0;
  const deadline = Date.now() + 10_000;
  let record;
  while (Date.now() < deadline) {
    for (let i = 0; i < 10; i++, client++) await fetchFrom(pops[client % pops.length], "/", { "x-verge-client-ip": `198.51.100.${client % 250}` });
    record = (await platform.call("GET", "/v1/workers/risky/deployment")).json.deployment;
    if (record.rolledBack) break;
  }
  assert.ok(record?.rolledBack, `rolled back within 10 s: ${JSON.stringify(record)}`);
  assert.deepEqual(record.shares, [{ version: good, percent: 100 }]);
  assert.equal(record.rolledBack.from, bad);
  assert.equal(record.rolledBack.to, good);
  assert.match(record.rolledBack.reason, /5xx rate 100\.0% .* against 0\.0% .* over the 5 point margin/);
  for (const pop of pops) {
    await until(async () => {
      for (let i = 0; i < 20; i++) if ((await fetchFrom(pop, "/", { "x-verge-client-ip": `198.51.100.${i}` })).text !== "good") return false;
      return true;
    }, `every client at ${pop.name} back on the good version`);
  }
});

test("a split whose new version is as healthy as the old one is left running", async () => {
  const a = await platform.upload("healthy", `export default { fetch() { return new Response("a"); } }`);
  await platform.call("POST", "/v1/workers/healthy/deployments", { version: a });
  const b = await platform.upload("healthy", `export default { fetch() { return new Response("b"); } }`);
  await platform.call("POST", "/v1/workers/healthy/deployments", { version: b, percent: 50, autoRollback: { windowSeconds: 10, marginPercent: 5, minRequests: 10 } });
  await until(async () => (await fetchFrom(platform.pops.tokyo, "/", { host: "healthy.localhost", "x-verge-client-ip": "203.0.113.1" })).status === 200, "served");
  for (let i = 0; i < 60; i++) await fetchFrom(platform.pops.tokyo, "/", { host: "healthy.localhost", "x-verge-client-ip": `203.0.113.${i}` });
  // Two reports and two checks later, the split still stands.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  const record = (await platform.call("GET", "/v1/workers/healthy/deployment")).json.deployment;
  assert.equal(record.rolledBack, null);
  assert.equal(record.shares.length, 2);
});
