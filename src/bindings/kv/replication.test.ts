/** @module KV across PoPs: read-your-writes, eventual visibility after the model's lag, expiration everywhere, last writer wins. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { oneWayMs } from "../../regions/index.js";
import { STORE_NODE } from "../../substrate/types.js";
import { startKvNetwork, type KvNetwork } from "../../../test/support/kv.js";
import { encodeMutation } from "./codec.js";

const SCALE = 1;

async function until(check: () => Promise<boolean>, timeoutMs = 5000): Promise<number> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return performance.now() - started;
}

describe("KV replication between PoPs", () => {
  let net: KvNetwork;
  before(async () => (net = await startKvNetwork(["virginia", "tokyo", "sydney"], SCALE)));
  after(async () => net.close());
  const get = async (pop: string, key: string) => (await net.call(pop, "get", [key])).result;

  test("the writer reads its write at once; another PoP sees it after about the model's lag, not before", async () => {
    // The stream's home is virginia: a write there is durable at once and reaches tokyo after the one-way delay.
    const lagMs = oneWayMs("virginia", "tokyo") * SCALE;
    assert.equal((await net.call("virginia", "put", ["flag", "on"])).ok, true);
    assert.equal(await get("virginia", "flag"), "on");
    assert.equal(await get("tokyo", "flag"), null, "tokyo read before the write could reach it");
    const waited = await until(async () => (await get("tokyo", "flag")) === "on");
    assert.ok(waited < lagMs + 1000, `visible at tokyo after ${waited.toFixed(0)} ms (model ${lagMs.toFixed(0)} ms)`);
    await until(async () => (await get("sydney", "flag")) === "on");
  });

  test("a write at a far PoP is read there at once and converges everywhere", async () => {
    await net.call("tokyo", "put", ["far", "from tokyo", { metadata: { by: "tokyo" } }]);
    assert.equal(await get("tokyo", "far"), "from tokyo");
    for (const pop of ["virginia", "sydney"]) await until(async () => (await get(pop, "far")) === "from tokyo");
    assert.deepEqual((await net.call("sydney", "getWithMetadata", ["far"])).result, { value: "from tokyo", metadata: { by: "tokyo" }, cacheStatus: null });
    await net.call("sydney", "delete", ["far"]);
    assert.equal(await get("sydney", "far"), null);
    for (const pop of ["virginia", "tokyo"]) await until(async () => (await get(pop, "far")) === null);
  });

  test("concurrent writes converge on the last writer at every PoP", async () => {
    await Promise.all([net.call("tokyo", "put", ["race", "tokyo"]), net.call("sydney", "put", ["race", "sydney"])]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await net.call("virginia", "put", ["race", "virginia"]);
    for (const pop of ["virginia", "tokyo", "sydney"]) await until(async () => (await get(pop, "race")) === "virginia");
  });

  test("an older mutation arriving late never replaces a newer value", async () => {
    await net.call("virginia", "put", ["order", "new"]);
    const old = encodeMutation({ kind: "put", key: "order", value: new TextEncoder().encode("old"), metadata: null, expiration: null, ts: Date.now() - 60_000, pop: "tokyo" });
    await net.substrate.forPop("virginia").append("kv-flags", old);
    await net.call("virginia", "put", ["order-marker", "x"]);
    for (const pop of ["virginia", "tokyo", "sydney"]) {
      await until(async () => (await get(pop, "order-marker")) === "x");
      assert.equal(await get(pop, "order"), "new");
    }
  });

  test("an expired key is invisible at every PoP, in get and list", async () => {
    const expired = encodeMutation({ kind: "put", key: "gone", value: new TextEncoder().encode("v"), metadata: null, expiration: Date.now() / 1000 - 1, ts: Date.now(), pop: "tokyo" });
    await net.substrate.forPop("virginia").append("kv-flags", expired);
    await net.call("virginia", "put", ["gone-marker", "x"]);
    for (const pop of ["virginia", "tokyo", "sydney"]) {
      await until(async () => (await get(pop, "gone-marker")) === "x");
      assert.equal(await get(pop, "gone"), null);
      const listed = (await net.call(pop, "list", [{ prefix: "gone" }])).result as { keys: { name: string }[] };
      assert.deepEqual(listed.keys.map((k) => k.name), ["gone-marker"]);
    }
  });

  test("list pages through 2,500 keys written at another PoP", { timeout: 60_000 }, async () => {
    // Written through the stream in bulk (as 2,500 worker puts would be), then read at a far PoP.
    const view = net.substrate.forPop("virginia");
    const now = Date.now();
    const names = Array.from({ length: 2500 }, (_, i) => `page-${String(i).padStart(4, "0")}`);
    await Promise.all(names.map((key, i) => view.append("kv-flags", encodeMutation({ kind: "put", key, value: new TextEncoder().encode(String(i)), metadata: null, expiration: null, ts: now + i, pop: "virginia" }))));
    await until(async () => (await get("sydney", names[2499])) === "2499", 10_000);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const listed = (await net.call("sydney", "list", [{ prefix: "page-", cursor }])).result as { keys: { name: string }[]; list_complete: boolean; cursor?: string };
      seen.push(...listed.keys.map((k) => k.name));
      if (listed.list_complete) break;
      assert.equal(listed.keys.length, 1000);
      cursor = listed.cursor;
    }
    assert.deepEqual(seen, names);
  });

  test("a partitioned PoP serves its stale copy, and converges once the partition heals", async () => {
    await net.call("virginia", "put", ["split", "before"]);
    await until(async () => (await get("sydney", "split")) === "before");
    for (const other of [STORE_NODE, "virginia", "tokyo"]) net.substrate.partition("sydney", other);
    await net.call("virginia", "put", ["split", "after"]);
    await until(async () => (await get("tokyo", "split")) === "after");
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(await get("sydney", "split"), "before", "cut off, sydney still answers its own replica");
    net.substrate.heal();
    await until(async () => (await get("sydney", "split")) === "after");
  });
});
