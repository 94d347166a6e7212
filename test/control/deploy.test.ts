import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fetchWithHost } from "../support/http.js";
import { until } from "../support/network.js";
import { fetchFrom, startPlatform, type Platform } from "../support/platform.js";

const version = (label: string) => `export default { fetch() { return new Response("${label}"); } }`;
const POPS = ["tokyo", "frankfurt", "virginia"];

let platform: Platform;
before(async () => {
  platform = await startPlatform(POPS);
});
after(() => platform.close());

const servedEverywhere = async (worker: string, body: string) => {
  for (const pop of Object.values(platform.pops)) if ((await fetchFrom(pop, "/", { host: `${worker}.localhost` })).text !== body) return false;
  return true;
};

test("a deploy reaches three PoPs and each serves the new version; a second deploy replaces it everywhere", async () => {
  const v1 = await platform.upload("greeter", version("one"));
  const deployed = await platform.call("POST", "/v1/workers/greeter/deployments", { version: v1 });
  assert.equal(deployed.status, 201);
  assert.deepEqual(deployed.json.deployment.shares, [{ version: v1, percent: 100 }]);
  await until(() => servedEverywhere("greeter", "one"), "v1 served at every PoP");
  const v2 = await platform.upload("greeter", version("two"));
  assert.notEqual(v2, v1);
  await platform.call("POST", "/v1/workers/greeter/deployments", { version: v2 });
  const waited = await until(() => servedEverywhere("greeter", "two"), "v2 served at every PoP", 1000);
  assert.ok(waited < 1000, `every PoP served v2 ${waited.toFixed(0)} ms after the deploy call returned`);
  const res = await fetchWithHost(`${platform.pops.tokyo.url}/`, "greeter.localhost");
  assert.equal(res.headers.get("x-verge-pop"), "tokyo");
  await res.text();
});

test("uploading the same content again answers the same version with 200; versions list newest first", async () => {
  const code = version("same");
  const first = await platform.upload("samey", code);
  const again = await platform.upload("samey", code);
  assert.equal(again, first);
  const other = await platform.upload("samey", version("other"));
  const { json } = await platform.call("GET", "/v1/workers/samey/versions");
  assert.deepEqual(
    json.versions.map((v: { id: string }) => v.id),
    [other, first],
  );
  const single = await platform.call("GET", `/v1/workers/samey/versions/${first}`);
  assert.equal(single.json.version.id, first);
});

test("a 10% split lands within statistical bounds and keeps each client on one version", async () => {
  const stable = await platform.upload("split", version("stable"));
  await platform.call("POST", "/v1/workers/split/deployments", { version: stable });
  const canary = await platform.upload("split", version("canary"));
  const split = await platform.call("POST", "/v1/workers/split/deployments", { version: canary, percent: 10 });
  assert.deepEqual(split.json.deployment.shares, [
    { version: canary, percent: 10 },
    { version: stable, percent: 90 },
  ]);
  const pop = platform.pops.frankfurt;
  await until(async () => {
    for (let i = 0; i < 50; i++) if ((await fetchFrom(pop, "/", { host: "split.localhost", "x-verge-client-ip": `10.0.0.${i}` })).text === "canary") return true;
    return false;
  }, "the split is served");
  const clients = 1000;
  const seen = new Map<string, string>();
  for (let i = 0; i < clients; i++) {
    const ip = `10.${(i >> 8) & 255}.${i & 255}.7`;
    seen.set(ip, (await fetchFrom(pop, "/", { host: "split.localhost", "x-verge-client-ip": ip })).text);
  }
  const canaries = [...seen.values()].filter((text) => text === "canary").length;
  // Binomial(1000, 0.1): mean 100, sd 9.5; 4.5 sd either side.
  assert.ok(canaries >= 57 && canaries <= 143, `${canaries} of ${clients} clients got the canary`);
  // Sticky: the same client gets the same version again, at every PoP.
  for (const [ip, text] of [...seen.entries()].slice(0, 60)) {
    for (const other of Object.values(platform.pops)) assert.equal((await fetchFrom(other, "/", { host: "split.localhost", "x-verge-client-ip": ip })).text, text, `client ${ip} at ${other.name}`);
  }
  const promoted = await platform.call("POST", "/v1/workers/split/promote", {});
  assert.deepEqual(promoted.json.deployment.shares, [{ version: canary, percent: 100 }]);
  await until(() => servedEverywhere("split", "canary"), "the promoted version served everywhere");
});

test("a split sticky on a header keeps each header value on one version", async () => {
  const a = await platform.upload("headers", version("a"));
  await platform.call("POST", "/v1/workers/headers/deployments", { version: a });
  const b = await platform.upload("headers", version("b"));
  await platform.call("POST", "/v1/workers/headers/deployments", { version: b, percent: 50, sticky: "header:x-user" });
  const pop = platform.pops.tokyo;
  await until(async () => (await fetchFrom(pop, "/", { host: "headers.localhost", "x-user": "u-1" })).text !== "" && (await platform.call("GET", "/v1/workers/headers/deployment")).json.deployment.shares.length === 2, "split deployed");
  const answers = new Set<string>();
  for (let user = 0; user < 40; user++) {
    const first = (await fetchFrom(pop, "/", { host: "headers.localhost", "x-user": `u-${user}` })).text;
    for (let ip = 0; ip < 3; ip++) assert.equal((await fetchFrom(pop, "/", { host: "headers.localhost", "x-user": `u-${user}`, "x-verge-client-ip": `192.0.2.${ip}` })).text, first);
    answers.add(first);
  }
  assert.deepEqual([...answers].sort(), ["a", "b"], "both versions serve some users");
});

test("rollback goes to the version before, or to any named one of the last 100, at once", async () => {
  const ids = [];
  for (const label of ["r1", "r2", "r3"]) ids.push(await platform.upload("rolling", version(label)));
  await platform.call("POST", "/v1/workers/rolling/deployments", { version: ids[2] });
  await until(() => servedEverywhere("rolling", "r3"), "r3 served");
  const back = await platform.call("POST", "/v1/workers/rolling/rollback", {});
  assert.equal(back.status, 200);
  assert.deepEqual(back.json.deployment.shares, [{ version: ids[1], percent: 100 }]);
  await until(() => servedEverywhere("rolling", "r2"), "rolled back to r2", 1000);
  await platform.call("POST", "/v1/workers/rolling/rollback", { version: ids[0] });
  await until(() => servedEverywhere("rolling", "r1"), "rolled back to r1", 1000);
  const unknown = await platform.call("POST", "/v1/workers/rolling/rollback", { version: "0".repeat(20) });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.json.error.code, "version_not_found");
  assert.match(unknown.json.error.message, /0{20}/);
});

test("routes: a deployed worker answers on its route patterns", async () => {
  const id = await platform.upload("routed", version("routed"), { routes: ["shop.example/*"] });
  await platform.call("POST", "/v1/workers/routed/deployments", { version: id });
  await until(async () => (await fetchFrom(platform.pops.tokyo, "/cart", { host: "shop.example" })).text === "routed", "served on its route");
  const changed = await platform.call("PUT", "/v1/workers/routed/routes", { routes: ["api.example/*"] });
  assert.equal(changed.status, 200);
  await until(async () => (await fetchFrom(platform.pops.tokyo, "/x", { host: "api.example" })).text === "routed", "served on its new route");
  const bad = await platform.call("PUT", "/v1/workers/routed/routes", { routes: ["/no-host"] });
  assert.equal(bad.status, 400);
  assert.match(bad.json.error.message, /Invalid route pattern: "\/no-host"/);
});

test("bad deploy requests are refused naming the value, and change nothing", async () => {
  const id = await platform.upload("picky", version("picky"));
  const cases: [unknown, string, RegExp][] = [
    [{ version: id, percent: 0 }, "invalid_split", /percent .* received 0/],
    [{ version: id, percent: 101 }, "invalid_split", /received 101/],
    [{ version: id, percent: "ten" }, "invalid_split", /received "ten"/],
    [{ version: "nope" }, "invalid_version_id", /received "nope"/],
    [{ version: "f".repeat(20) }, "version_not_found", /ffff/],
    [{ version: id, sticky: "cookie" }, "invalid_split", /received "cookie"/],
    [{ version: id, autoRollback: { windowSeconds: 1, marginPercent: 5, minRequests: 1 } }, "invalid_split", /windowSeconds/],
  ];
  for (const [body, code, message] of cases) {
    const { status, json } = await platform.call("POST", "/v1/workers/picky/deployments", body);
    assert.ok(status === 400 || status === 404, `${JSON.stringify(body)}: ${status}`);
    assert.equal(json.error.code, code, JSON.stringify(body));
    assert.match(json.error.message, message);
  }
  const split = await platform.call("POST", "/v1/workers/picky/deployments", { version: id, percent: 10 });
  assert.equal(split.json.error.code, "invalid_split");
  assert.match(split.json.error.message, /serves no version yet/);
  const malformed = await platform.call("POST", "/v1/workers/picky/deployments", "{not json");
  assert.equal(malformed.json.error.code, "bad_request");
  const badName = await platform.call("GET", "/v1/workers/bad%20name/versions");
  assert.equal(badName.json.error.code, "invalid_worker_name");
  assert.equal((await platform.call("GET", "/v1/workers/picky/deployment")).json.deployment, null);
  const method = await platform.call("PATCH", "/v1/workers/picky/deployment");
  assert.equal(method.status, 405);
});
