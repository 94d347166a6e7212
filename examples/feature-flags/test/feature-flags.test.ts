/** @module The feature-flags example on three real PoPs sharing one embedded substrate (store in virginia). */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { oneWayMs } from "../../../src/regions/index.js";
import { startNetwork, until, type Network } from "../../../test/support/network.js";

const EXAMPLE_DIR = fileURLToPath(new URL("..", import.meta.url));
const POPS = ["tokyo", "frankfurt", "virginia"];
const SCALE = 0.5;
const SECRET = "test-secret";
/** Longest time a write can take to reach every PoP: to the store and on to the farthest PoP, plus slack. */
const SETTLE_MS = 2 * oneWayMs("tokyo", "virginia") * SCALE + 200;

interface FlagsAnswer {
  pop: string | null;
  user: string | null;
  flags: Record<string, string>;
}

const DOC_V1 = {
  flags: {
    checkout: { variants: ["classic", "express"], default: "classic", users: { alice: "express" } },
    theme: { variants: ["light", "dark"], default: "light", users: { alice: "dark", carol: "dark" } },
  },
};
const DOC_V2 = {
  flags: {
    checkout: { variants: ["classic", "express"], default: "express" },
    banner: { variants: ["off", "on"], default: "off", rollout: { variant: "on", percent: 50 } },
  },
};

let net: Network;
before(async () => {
  net = await startNetwork(EXAMPLE_DIR, POPS, SCALE, { ADMIN_SECRET: SECRET });
  // Warm each PoP's isolate so timings below measure replication, not a cold start.
  for (const pop of POPS) assert.equal((await net.fetch(pop, "/flags")).status, 200);
});
after(async () => net?.close());

async function flagsAt(pop: string, headers: Record<string, string> = {}): Promise<FlagsAnswer & { header: string | null }> {
  const response = await net.fetch(pop, "/flags", { headers });
  assert.equal(response.status, 200, `GET /flags at ${pop}`);
  return { ...((await response.json()) as FlagsAnswer), header: response.headers.get("x-feature-flags") };
}

function putFlags(pop: string, body: unknown, secret: string | null = SECRET): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (secret !== null) headers["x-admin-secret"] = secret;
  return net.fetch(pop, "/admin/flags", { method: "PUT", headers, body: typeof body === "string" ? body : JSON.stringify(body) });
}

async function storedAt(pop: string): Promise<unknown> {
  const response = await net.fetch(pop, "/admin/flags", { headers: { "x-admin-secret": SECRET } });
  assert.equal(response.status, 200);
  return response.json();
}

describe("the admin route", () => {
  test("refuses a missing or wrong secret with 401 and writes nothing", async () => {
    for (const secret of [null, "", "wrong", `${SECRET}x`, SECRET.slice(0, -1)]) {
      const response = await putFlags("virginia", DOC_V1, secret);
      assert.equal(response.status, 401, `secret ${JSON.stringify(secret)}`);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, "unauthorized");
      const read = await net.fetch("tokyo", "/admin/flags", secret === null ? {} : { headers: { "x-admin-secret": secret } });
      assert.equal(read.status, 401, `GET with secret ${JSON.stringify(secret)}`);
      await read.arrayBuffer();
    }
    // A right secret with a bad document is refused too.
    for (const bad of ["not json", { flags: { checkout: { variants: ["a"], default: "b" } } }, { flags: { "bad name": { variants: ["a"], default: "a" } } }]) {
      const response = await putFlags("virginia", bad);
      assert.equal(response.status, 400, JSON.stringify(bad));
      await response.arrayBuffer();
    }
    // Long enough for any write to have reached every PoP: nothing is stored anywhere.
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    for (const pop of POPS) {
      assert.deepEqual(await storedAt(pop), { flags: {} }, pop);
      assert.deepEqual((await flagsAt(pop, { "x-user-id": "alice" })).flags, {}, pop);
    }
  });
});

describe("flags across PoPs", () => {
  test("written at one PoP: read there at once, at the others after replication", async () => {
    const put = await putFlags("virginia", DOC_V1);
    assert.equal(put.status, 200);
    assert.deepEqual(await put.json(), { ok: true, pop: "virginia", flags: ["checkout", "theme"] });
    // Read-your-writes at the writing PoP.
    const here = await flagsAt("virginia", { "x-user-id": "alice" });
    assert.deepEqual(here.flags, { checkout: "express", theme: "dark" });
    assert.equal(here.header, "checkout=express, theme=dark");
    // Tokyo is 85 ms (scaled) from the store: it still has the old (empty) flags.
    assert.deepEqual((await flagsAt("tokyo", { "x-user-id": "alice" })).flags, {}, "tokyo read the flags before they could reach it");
    for (const pop of ["tokyo", "frankfurt"]) {
      const lagMs = oneWayMs("virginia", pop) * SCALE;
      const waited = await until(async () => (await flagsAt(pop, { "x-user-id": "alice" })).flags.checkout === "express", `flags at ${pop}`);
      assert.ok(waited < lagMs + 1000, `${pop} saw the flags after ${waited.toFixed(0)} ms (model ${lagMs.toFixed(0)} ms)`);
      assert.deepEqual(await storedAt(pop), DOC_V1);
    }
  });

  test("a write at a far PoP replaces the document everywhere", async () => {
    assert.equal((await putFlags("tokyo", DOC_V2)).status, 200);
    assert.deepEqual((await flagsAt("tokyo", { "x-user-id": "alice" })).flags.checkout, "express");
    assert.equal((await flagsAt("tokyo")).flags.checkout, "express", "the new default, at once");
    for (const pop of ["frankfurt", "virginia"]) {
      await until(async () => (await flagsAt(pop)).flags.checkout === "express", `new default at ${pop}`);
      assert.deepEqual(await storedAt(pop), DOC_V2);
    }
  });
});

describe("variants", () => {
  before(async () => {
    assert.equal((await putFlags("frankfurt", DOC_V1)).status, 200);
    for (const pop of POPS) await until(async () => JSON.stringify(await storedAt(pop)) === JSON.stringify(DOC_V1), `DOC_V1 at ${pop}`);
  });

  test("a known user gets their variant by header or cookie", async () => {
    for (const pop of POPS) {
      assert.deepEqual((await flagsAt(pop, { "x-user-id": "alice" })).flags, { checkout: "express", theme: "dark" });
      const byCookie = await flagsAt(pop, { cookie: "other=1; uid=carol" });
      assert.equal(byCookie.user, "carol");
      assert.deepEqual(byCookie.flags, { checkout: "classic", theme: "dark" });
      assert.equal(byCookie.pop, pop);
    }
    // The header wins over the cookie.
    assert.equal((await flagsAt("tokyo", { "x-user-id": "alice", cookie: "uid=carol" })).user, "alice");
  });

  test("an unknown, anonymous or malformed user gets the default variants", async () => {
    const cases: Record<string, string>[] = [{ "x-user-id": "mallory" }, {}, { cookie: "uid=" }, { "x-user-id": "bad id with spaces" }];
    for (const headers of cases) {
      const answer = await flagsAt("frankfurt", headers);
      assert.deepEqual(answer.flags, { checkout: "classic", theme: "light" }, JSON.stringify(headers));
      assert.equal(answer.header, "checkout=classic, theme=light");
    }
  });

  test("a rollout splits users by the hash of flag and user", async () => {
    const rollout = { flags: { banner: { variants: ["off", "on"], default: "off", rollout: { variant: "on", percent: 30 } } } };
    assert.equal((await putFlags("virginia", rollout)).status, 200);
    const users = Array.from({ length: 100 }, (_, i) => `user-${i}`);
    let on = 0;
    for (const user of users) {
      const expected = createHash("sha256").update(`banner:${user}`).digest().readUInt32BE(0) % 100 < 30 ? "on" : "off";
      const got = (await flagsAt("virginia", { "x-user-id": user })).flags.banner;
      assert.equal(got, expected, user);
      if (got === "on") on++;
    }
    assert.ok(on > 10 && on < 50, `${on} of 100 users in a 30% rollout`);
    assert.equal((await flagsAt("virginia")).flags.banner, "off", "anonymous users are never rolled out");
  });
});

describe("routes", () => {
  test("unknown paths get 404 and the flags route only GET", async () => {
    assert.equal((await net.fetch("tokyo", "/nope")).status, 404);
    assert.equal((await net.fetch("tokyo", "/flags", { method: "POST" })).status, 405);
    assert.equal((await net.fetch("tokyo", "/admin/flags", { method: "DELETE", headers: { "x-admin-secret": SECRET } })).status, 405);
  });
});
