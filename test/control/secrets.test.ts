import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { until } from "../support/network.js";
import { fetchFrom, startPlatform, type Platform } from "../support/platform.js";

const SECRET = "sk_live_7f3c9a1e5b";
let platform: Platform;
before(async () => {
  platform = await startPlatform(["tokyo", "frankfurt"]);
});
after(() => platform.close());

test("a secret reaches the worker's env at every PoP and never appears in logs, API answers or the tail", async () => {
  const id = await platform.upload(
    "vault",
    `export default { fetch(request, env) {
      console.log("key is " + env.API_KEY);
      if (new URL(request.url).pathname === "/throw") throw new Error("failed with " + env.API_KEY);
      return new Response(env.API_KEY === "${SECRET}" ? "has the key" : "no key: " + typeof env.API_KEY);
    } }`,
    { vars: { PLAIN: "visible" } },
  );
  await platform.call("POST", "/v1/workers/vault/deployments", { version: id });
  const put = await platform.call("PUT", "/v1/workers/vault/secrets/API_KEY", { value: SECRET });
  assert.equal(put.status, 204);
  assert.equal(put.json, null);
  for (const pop of Object.values(platform.pops)) {
    await until(async () => (await fetchFrom(pop, "/", { host: "vault.localhost" })).text === "has the key", `the secret at ${pop.name}`);
  }

  const tail = await fetch(`${platform.api}/v1/workers/vault/tail`, { headers: { authorization: `Bearer ${platform.adminToken}` } });
  const reader = tail.body!.getReader();
  await reader.read(); // ": tailing"
  await fetchFrom(platform.pops.tokyo, "/throw", { host: "vault.localhost" });
  await fetchFrom(platform.pops.frankfurt, "/", { host: "vault.localhost" });
  let streamed = "";
  const deadline = Date.now() + 5000;
  while (!(streamed.includes("/throw") && streamed.includes('"frankfurt"')) && Date.now() < deadline) {
    const { value } = await Promise.race([reader.read(), new Promise<{ value: undefined }>((resolve) => setTimeout(() => resolve({ value: undefined }), 500))]);
    if (value) streamed += new TextDecoder().decode(value);
  }
  await reader.cancel();
  assert.match(streamed, /key is \[secret API_KEY\]/);
  assert.match(streamed, /failed with \[secret API_KEY\]/);

  const answers = await Promise.all([
    platform.call("GET", "/v1/workers/vault/secrets"),
    platform.call("GET", "/v1/workers/vault/deployment"),
    platform.call("GET", "/v1/workers/vault/versions"),
    platform.call("GET", "/v1/workers"),
    platform.call("GET", "/v1/pops"),
  ]);
  assert.deepEqual(
    answers[0].json.secrets.map((s: { name: string }) => s.name),
    ["API_KEY"],
  );
  const logged = JSON.stringify(platform.logs.filter((log) => log.worker === "vault"));
  assert.match(logged, /\[secret API_KEY\]/);
  for (const [what, text] of [["the request logs", logged], ["the tail", streamed], ["the API answers", JSON.stringify(answers.map((a) => a.json))]] as const) {
    assert.ok(!text.includes(SECRET), `${what} show the secret`);
  }
});

test("secrets: a change reaches the worker, a delete removes it, bad names and values are refused", async () => {
  const id = await platform.upload("rotating", `export default { fetch(r, env) { return new Response(String(env.TOKEN)); } }`);
  await platform.call("POST", "/v1/workers/rotating/deployments", { version: id });
  await platform.call("PUT", "/v1/workers/rotating/secrets/TOKEN", { value: "first" });
  await until(async () => (await fetchFrom(platform.pops.tokyo, "/", { host: "rotating.localhost" })).text === "first", "first value");
  await platform.call("PUT", "/v1/workers/rotating/secrets/TOKEN", { value: "second" });
  await until(async () => (await fetchFrom(platform.pops.tokyo, "/", { host: "rotating.localhost" })).text === "second", "rotated value");
  assert.equal((await platform.call("DELETE", "/v1/workers/rotating/secrets/TOKEN")).status, 204);
  await until(async () => (await fetchFrom(platform.pops.tokyo, "/", { host: "rotating.localhost" })).text === "undefined", "deleted");
  const missing = await platform.call("DELETE", "/v1/workers/rotating/secrets/TOKEN");
  assert.equal(missing.status, 404);
  const bad: [string, unknown, RegExp][] = [
    ["1BAD", { value: "x" }, /Invalid secret name: received "1BAD"/],
    ["has-dash", { value: "x" }, /received "has-dash"/],
    ["OK", { value: 42 }, /value is number/],
    ["OK", {}, /value is missing/],
    ["OK", { value: "x".repeat(5 * 1024 + 1) }, /5121 bytes: over the 5120 byte limit/],
  ];
  for (const [name, body, message] of bad) {
    const { status, json } = await platform.call("PUT", `/v1/workers/rotating/secrets/${name}`, body);
    assert.equal(status, 400, name);
    assert.equal(json.error.code, "invalid_secret");
    assert.match(json.error.message, message);
  }
  assert.deepEqual((await platform.call("GET", "/v1/workers/rotating/secrets")).json.secrets, []);
});
