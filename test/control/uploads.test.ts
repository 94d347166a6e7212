import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { until } from "../support/network.js";
import { bundleTestWorker } from "../support/pop.js";
import { fetchFrom, startPlatform, type Platform } from "../support/platform.js";

let platform: Platform;
before(async () => {
  platform = await startPlatform(["tokyo"]);
  const id = await platform.upload("steady", `export default { fetch() { return new Response("still here"); } }`);
  await platform.call("POST", "/v1/workers/steady/deployments", { version: id });
  await until(async () => (await fetchFrom(platform.pops.tokyo, "/")).text === "still here", "steady served");
});
after(() => platform.close());

const config = { vars: {}, bindings: [], routes: [], crons: [] };
const upload = (body: unknown) => platform.call("POST", "/v1/workers/steady/versions", body);

test("bad uploads are refused with a message naming the problem, and the running version keeps serving", async () => {
  const handlerless = await bundleTestWorker({ name: "h", source: "export const x = 1;" });
  const throwing = await bundleTestWorker({ name: "t", source: `throw new Error("boom at load"); export default { fetch() {} }` });
  const cases: [string, unknown, string, RegExp][] = [
    ["a syntax error", { code: "var __verge_worker = { default: { fetch( { } };", config }, "invalid_upload", /cannot start: .*Unexpected token/],
    ["no handler", { code: handlerless, config }, "invalid_upload", /no fetch handler|no .*handler/i],
    ["a throwing top level", { code: throwing, config }, "invalid_upload", /boom at load/],
    ["a bundle over 10 MB", { code: `// ${"x".repeat(10 * 1024 * 1024)}`, config }, "bundle_too_large", /10485763 bytes: over the 10485760 byte limit/],
    ["an unknown binding", { code: handlerless, config: { ...config, bindings: [{ name: "Q", kind: "queue", config: {} }] } }, "invalid_upload", /Binding "Q" has an unknown kind "queue": known kinds are kv, cache, durable_object/],
    ["a binding named twice", { code: handlerless, config: { ...config, vars: { A: "1" }, bindings: [{ name: "A", kind: "kv", config: { id: "a" } }] } }, "invalid_upload", /"A" is bound twice/],
    ["a bad binding name", { code: handlerless, config: { ...config, bindings: [{ name: "not-ident", kind: "kv", config: {} }] } }, "invalid_upload", /identifier: received "not-ident"/],
    ["a bad cron", { code: handlerless, config: { ...config, crons: ["every minute"] } }, "invalid_upload", /every minute/],
    ["a bad route", { code: handlerless, config: { ...config, routes: ["/x"] } }, "invalid_upload", /Invalid route pattern: "\/x"/],
    ["a var that is not a string", { code: handlerless, config: { ...config, vars: { N: 1 } } }, "invalid_upload", /config\.vars\.N is invalid/],
    ["an unknown config key", { code: handlerless, config: { ...config, durable: true } }, "invalid_upload", /durable/],
    ["no code", { config }, "invalid_upload", /code is invalid/],
    ["a bad compatibility date", { code: handlerless, config: { ...config, compatibilityDate: "yesterday" } }, "invalid_upload", /compatibilityDate is invalid: a date as YYYY-MM-DD/],
  ];
  for (const [what, body, code, message] of cases) {
    const { status, json } = await upload(body);
    assert.equal(json.error.code, code, `${what}: ${JSON.stringify(json)}`);
    assert.ok(status === 400 || status === 413, `${what}: ${status}`);
    assert.match(json.error.message, message, what);
  }
  assert.equal((await platform.call("GET", "/v1/workers/steady/versions")).json.versions.length, 1, "no refused upload became a version");
  assert.equal((await fetchFrom(platform.pops.tokyo, "/")).text, "still here");
});

test("a worker with only a scheduled handler is a valid upload", async () => {
  const code = await bundleTestWorker({ name: "s", source: "export default { scheduled() {} }" });
  const { status } = await platform.call("POST", "/v1/workers/cron-only/versions", { code, config: { ...config, crons: ["*/5 * * * *"] } });
  assert.equal(status, 201);
});
