/**
 * @module The counter example on three real PoPs sharing one embedded
 * substrate: increments arriving at every PoP land in one object, resets are
 * seen everywhere, and bad names and methods get a 4xx that names them.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { startNetwork, type Network } from "../../../test/support/network.js";

const EXAMPLE_DIR = fileURLToPath(new URL("..", import.meta.url));
const POPS = ["tokyo", "frankfurt", "virginia"];

interface Counted {
  name: string;
  count: number;
  pop: string;
}
interface Failed {
  error: { code: string; message: string };
}

let net: Network;
before(async () => {
  net = await startNetwork(EXAMPLE_DIR, POPS, 0.1);
});
after(async () => net?.close());

async function call(pop: string, method: string, path: string): Promise<Counted> {
  const response = await net.fetch(pop, path, { method });
  const body = (await response.json()) as Counted;
  assert.equal(response.status, 200, `${method} ${path} at ${pop}: ${JSON.stringify(body)}`);
  assert.equal(body.pop, pop);
  return body;
}

async function refused(pop: string, method: string, path: string): Promise<{ status: number; body: Failed; allow: string | null }> {
  const response = await net.fetch(pop, path, { method });
  return { status: response.status, body: (await response.json()) as Failed, allow: response.headers.get("allow") };
}

describe("one counter reached through three PoPs", () => {
  test("30 concurrent increments, 10 at each PoP, all land in the same object", async () => {
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => call(POPS[i % POPS.length], "POST", "/visits")));
    // Every increment saw a distinct count: none was lost or counted twice.
    assert.deepEqual(answers.map((a) => a.count).sort((a, b) => a - b), Array.from({ length: 30 }, (_, i) => i + 1));
    for (const pop of POPS) assert.equal((await call(pop, "GET", "/visits")).count, 30, pop);
  });

  test("a reset at one PoP is read at the others", async () => {
    await call("tokyo", "POST", "/resets");
    await call("virginia", "POST", "/resets");
    assert.equal((await call("frankfurt", "DELETE", "/resets")).count, 0);
    assert.equal((await call("tokyo", "GET", "/resets")).count, 0);
    assert.equal((await call("virginia", "POST", "/resets")).count, 1);
  });

  test("names are separate counters, and a new one reads 0", async () => {
    await call("frankfurt", "POST", "/a");
    assert.equal((await call("tokyo", "GET", "/b")).count, 0);
    assert.equal((await call("virginia", "GET", "/a")).count, 1);
  });
});

describe("bad input", () => {
  test("a name over 64 characters gets 400 naming it", async () => {
    const { status, body } = await refused("tokyo", "POST", `/${"n".repeat(65)}`);
    assert.equal(status, 400);
    assert.equal(body.error.code, "bad_name");
    assert.equal(body.error.message, `The counter name "${"n".repeat(64)}…" is 65 characters long: the limit is 64`);
    // 64 is fine.
    assert.equal((await call("tokyo", "POST", `/${"n".repeat(64)}`)).count, 1);
  });

  test("a name with other characters, an empty name and bad percent-encoding get 400", async () => {
    const cases: [string, string][] = [
      ["/a/b", 'The counter name "a/b" may only hold A-Z a-z 0-9 . _ -'],
      ["/caf%C3%A9", 'The counter name "café" may only hold A-Z a-z 0-9 . _ -'],
      ["/", "No counter name: use /<name>, e.g. POST /visits"],
      ["/%E0%A4%A", 'The path "/%E0%A4%A" is not valid percent-encoding'],
    ];
    for (const [path, message] of cases) {
      const { status, body } = await refused("frankfurt", "GET", path);
      assert.equal(status, 400, path);
      assert.equal(body.error.message, message, path);
    }
  });

  test("a method other than GET, POST and DELETE gets 405 naming it, with allow", async () => {
    const { status, body, allow } = await refused("virginia", "PUT", "/visits");
    assert.equal(status, 405);
    assert.equal(body.error.message, "The method PUT is not allowed: use GET, POST, DELETE /<name>");
    assert.equal(allow, "GET, POST, DELETE");
    assert.equal((await call("virginia", "GET", "/visits")).count, 30, "the counter is untouched");
  });
});
