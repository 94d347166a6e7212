/** @module The KV dev control area over HTTP at a real dev PoP: the routes, and bad input refused with the binding's messages. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startTestPop, type TestPop } from "../../../test/support/pop.js";
import { createEmbeddedSubstrate, type EmbeddedSubstrate } from "../../substrate/embedded/index.js";

let substrate: EmbeddedSubstrate;
let pop: TestPop;
before(async () => {
  substrate = createEmbeddedSubstrate({ latencyScale: 0 });
  pop = await startTestPop([], { name: "virginia", region: "virginia", substrate: substrate.forPop("virginia") });
});
after(async () => {
  await pop.close();
  await substrate.close();
});

const call = async (method: string, path: string, body?: string) => {
  const response = await pop.fetch(`/__verge/kv/${path}`, { method, body });
  return { status: response.status, type: response.headers.get("content-type"), text: await response.text() };
};
const errorOf = (text: string) => (JSON.parse(text) as { error: { code: string; message: string } }).error;

test("put, get its bytes and its metadata, list, delete", async () => {
  const put = await call("PUT", `ns/values/a%2Fb?expiration_ttl=600&metadata=${encodeURIComponent('{"n":1}')}`, "value");
  assert.equal(put.status, 200);
  const listed = JSON.parse(put.text) as { name: string; expiration: number; metadata: unknown };
  assert.equal(listed.name, "a/b");
  assert.deepEqual(listed.metadata, { n: 1 });
  assert.deepEqual(await call("GET", "ns/values/a%2Fb"), { status: 200, type: "application/octet-stream", text: "value" });
  assert.equal((await call("GET", "ns/values/a/b")).text, "value", "an unencoded slash names the same key");
  assert.deepEqual(JSON.parse((await call("GET", "ns/metadata/a%2Fb")).text), listed);
  assert.deepEqual(JSON.parse((await call("GET", "ns/keys?prefix=a")).text), { keys: [listed], list_complete: true });
  assert.deepEqual(JSON.parse((await call("DELETE", "ns/values/a%2Fb")).text), { name: "a/b", deleted: true });
  const gone = await call("GET", "ns/values/a%2Fb");
  assert.equal(gone.status, 404);
  assert.deepEqual(errorOf(gone.text), { code: "not_found", message: 'Key "a/b" not found in namespace "ns"' });
});

test("bad input is a 400 with the binding's message, and nothing is written", async () => {
  const cases: [string, string, string | undefined, RegExp][] = [
    ["PUT", "ns/values/bad-ttl?expiration_ttl=30", "v", /^KV put failed: expirationTtl must be at least 60 seconds: received 30$/],
    ["PUT", "ns/values/bad-meta?metadata=%7Bx", "v", /^KV put failed: metadata must be JSON: received "\{x"$/],
    ["PUT", `ns/values/bad-${"k".repeat(509)}`, "v", /^KV put failed: key is 513 bytes \(UTF-8\), over the limit of 512$/],
    ["PUT", "a.b/values/k", "v", /^KV put failed: namespace id must be 1 to 61 characters of A-Z a-z 0-9 - _: received "a\.b"$/],
    ["GET", "ns/keys?limit=abc", undefined, /^KV list failed: limit must be an integer from 1 to 1000: received abc$/],
  ];
  for (const [method, path, body, message] of cases) {
    const answer = await call(method, path, body);
    assert.equal(answer.status, 400, path.slice(0, 40));
    assert.equal(errorOf(answer.text).code, "bad_request");
    assert.match(errorOf(answer.text).message, message);
  }
  assert.deepEqual(JSON.parse((await call("GET", "ns/keys?prefix=bad-")).text), { keys: [], list_complete: true });
  const unknown = await call("POST", "ns/values/k");
  assert.equal(unknown.status, 404);
  assert.match(errorOf(unknown.text).message, /^No KV dev route for POST \/__verge\/kv\/ns\/values\/k \(routes: /);
});
