import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startPlatform, type Platform } from "../support/platform.js";

let platform: Platform;
let version: string;
before(async () => {
  platform = await startPlatform(["tokyo"]);
  version = await platform.upload("mine", `export default { fetch() { return new Response("mine"); } }`);
  await platform.upload("theirs", `export default { fetch() { return new Response("theirs"); } }`);
  await platform.call("POST", "/v1/workers/theirs/deployments", { version: (await platform.call("GET", "/v1/workers/theirs/versions")).json.versions[0].id });
});
after(() => platform.close());

const deploymentOf = async (worker: string) => JSON.stringify((await platform.call("GET", `/v1/workers/${worker}/deployment`)).json);

test("no token or a wrong one gets 401 and changes nothing", async () => {
  const before = await deploymentOf("mine");
  const attempts: [string | null, RegExp][] = [
    [null, /No API token/],
    ["verge_0000000000000000_" + "a".repeat(43), /not valid/],
    [platform.adminToken.slice(0, -1) + (platform.adminToken.endsWith("A") ? "B" : "A"), /not valid/],
    ["garbage", /not valid/],
  ];
  for (const [token, message] of attempts) {
    const { status, json } = await platform.call("POST", "/v1/workers/mine/deployments", { version }, token);
    assert.equal(status, 401, `token ${token}`);
    assert.equal(json.error.code, "unauthorized");
    assert.match(json.error.message, message);
  }
  const res = await fetch(`${platform.api}/v1/workers`, { headers: { authorization: "Basic abc" } });
  assert.equal(res.status, 401);
  assert.match(((await res.json()) as { error: { message: string } }).error.message, /not Bearer/);
  assert.equal(await deploymentOf("mine"), before);
});

test("a worker-scoped token acts on its worker only, and cannot manage tokens", async () => {
  const created = await platform.call("POST", "/v1/tokens", { name: "ci for mine", worker: "mine" });
  assert.equal(created.status, 201);
  const scoped = created.json.token as string;
  assert.match(scoped, /^verge_[0-9a-f]{16}_/);
  assert.deepEqual((await platform.call("GET", "/v1/whoami", undefined, scoped)).json.worker, "mine");

  const mine = await platform.call("POST", "/v1/workers/mine/deployments", { version }, scoped);
  assert.equal(mine.status, 201);

  const theirsBefore = await deploymentOf("theirs");
  const theirVersion = JSON.parse(theirsBefore).deployment.shares[0].version;
  const refused: [string, string, unknown][] = [
    ["POST", "/v1/workers/theirs/deployments", { version: theirVersion }],
    ["POST", "/v1/workers/theirs/rollback", {}],
    ["PUT", "/v1/workers/theirs/secrets/KEY", { value: "x" }],
    ["GET", "/v1/workers/theirs/versions", undefined],
    ["POST", "/v1/workers/theirs/versions", { code: "x", config: {} }],
    ["POST", "/v1/tokens", { name: "escalate" }],
    ["GET", "/v1/tokens", undefined],
  ];
  for (const [method, path, body] of refused) {
    const { status, json } = await platform.call(method, path, body, scoped);
    assert.equal(status, 403, `${method} ${path}`);
    assert.equal(json.error.code, "forbidden");
    assert.match(json.error.message, /scoped to worker "mine"/);
  }
  assert.equal(await deploymentOf("theirs"), theirsBefore);
  const listed = await platform.call("GET", "/v1/workers", undefined, scoped);
  assert.deepEqual(
    listed.json.workers.map((w: { name: string }) => w.name),
    ["mine"],
  );
});

test("tokens: listed without their secret, and a deleted token stops working", async () => {
  const { json } = await platform.call("POST", "/v1/tokens", { name: "short-lived" });
  const listed = await platform.call("GET", "/v1/tokens");
  assert.ok(listed.json.tokens.some((t: { id: string }) => t.id === json.id));
  assert.ok(!JSON.stringify(listed.json).includes(json.token.split("_")[2]), "the list shows no token secret");
  assert.equal((await platform.call("GET", "/v1/whoami", undefined, json.token)).status, 200);
  assert.equal((await platform.call("DELETE", `/v1/tokens/${json.id}`)).status, 204);
  assert.equal((await platform.call("GET", "/v1/whoami", undefined, json.token)).status, 401);
  const missing = await platform.call("DELETE", `/v1/tokens/${json.id}`);
  assert.equal(missing.status, 404);
  const badName = await platform.call("POST", "/v1/tokens", { name: "" });
  assert.equal(badName.status, 400);
  assert.match(badName.json.error.message, /token name .* received ""/);
  const badWorker = await platform.call("POST", "/v1/tokens", { name: "x", worker: "no spaces" });
  assert.equal(badWorker.json.error.code, "invalid_worker_name");
});

test("the first admin token is made once per network", async () => {
  assert.equal(await platform.control.bootstrapToken(), null);
});
