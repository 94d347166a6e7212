/**
 * @module Three `verge pop` processes on one nats-server: KV writes made at one
 * PoP reach the others, expirations hold at every PoP, and `list` pages
 * through 2,500 keys at a PoP that did not write them.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { encodeMutation } from "../../src/bindings/kv/codec.js";
import { createNatsSubstrate } from "../../src/substrate/nats/index.js";
import { bulkKey, kv, startCluster, type Cluster, type ListedKey } from "../support/cluster.js";
import { until } from "../support/network.js";

const POPS = ["tokyo", "frankfurt", "virginia"];
const options = { timeout: 60_000 };

describe("verge pop: three PoPs on one nats-server", () => {
  let cluster: Cluster;
  const at = (name: string) => kv(cluster.pops[name]);
  /** Waits until `key` reads `value` (null: absent) at every PoP. */
  const everywhere = (key: string, value: string | null, timeoutMs = 5000) =>
    Promise.all(POPS.map((name) => until(async () => (await at(name).get(key)) === value, `${key} = ${value} at ${name}`, timeoutMs)));

  before(async () => {
    cluster = await startCluster(POPS);
  });
  after(async () => {
    await cluster?.close();
  });

  test("a write at one PoP becomes visible at the others; so do an overwrite elsewhere and a delete", options, async () => {
    await at("tokyo").put("greeting", "konnichiwa");
    assert.equal(await at("tokyo").get("greeting"), "konnichiwa", "the writing PoP reads its own write at once");
    await everywhere("greeting", "konnichiwa");
    await at("virginia").put("greeting", "hello");
    await everywhere("greeting", "hello");
    await at("frankfurt").delete("greeting");
    await everywhere("greeting", null);
  });

  test("expiration is honoured at every PoP", options, async () => {
    // Through the worker: expirationTtl is at least 60 s, so this checks that every PoP knows the expiration.
    const before = Math.floor(Date.now() / 1000);
    await at("frankfurt").put("session", "s1", "?ttl=60");
    await everywhere("session", "s1");
    for (const name of POPS) {
      const [listed] = (await at(name).list({ prefix: "session" })).keys;
      assert.ok(listed?.expiration !== undefined && listed.expiration >= before + 60 && listed.expiration <= before + 62, `${name} lists session with its expiration: ${JSON.stringify(listed)}`);
    }
    // Through the substrate, as a PoP would append it: a write that expires in 1.5 s, then vanishes everywhere.
    const substrate = createNatsSubstrate({ servers: [cluster.nats.url] });
    try {
      const expiration = Date.now() / 1000 + 1.5;
      const value = new TextEncoder().encode("short-lived");
      await substrate.forPop("writer", { region: "virginia" }).append("kv-cluster", encodeMutation({ kind: "put", key: "brief", value, metadata: null, expiration, ts: Date.now(), pop: "writer" }));
      await everywhere("brief", "short-lived");
      await everywhere("brief", null, 5000);
      for (const name of POPS) assert.deepEqual((await at(name).list({ prefix: "brief" })).keys, [], `${name} does not list an expired key`);
    } finally {
      await substrate.close();
    }
  });

  test("list pages through 2,500 keys written at another PoP", options, async () => {
    const total = 2500;
    const batch = 250;
    for (let from = 0; from < total; from += batch * 2) {
      await Promise.all([at("tokyo").bulk("item:", from, batch), at("tokyo").bulk("item:", from + batch, batch)]);
    }
    const virginia = at("virginia");
    /** Every key under "item:" at virginia, page by page, with the size of each page. */
    const listAll = async (): Promise<{ seen: ListedKey[]; pages: number[] }> => {
      const seen: ListedKey[] = [];
      const pages: number[] = [];
      let cursor: string | undefined;
      for (;;) {
        const page = await virginia.list({ prefix: "item:", cursor });
        seen.push(...page.keys);
        pages.push(page.keys.length);
        if (page.list_complete) {
          assert.equal(page.cursor, undefined);
          return { seen, pages };
        }
        assert.ok(page.cursor, "a page that is not the last has a cursor");
        cursor = page.cursor;
      }
    };
    await until(async () => (await listAll()).seen.length === total, `${total} keys listed at virginia`, 20_000);
    const { seen, pages } = await listAll();
    assert.deepEqual(pages, [1000, 1000, 500]);
    assert.deepEqual(seen.map((key) => key.name), Array.from({ length: total }, (_, i) => bulkKey("item:", i)));
    const small = await virginia.list({ prefix: "item:0024", limit: 7 });
    assert.deepEqual(small.keys.map((key) => key.name), Array.from({ length: 7 }, (_, i) => bulkKey("item:", 2400 + i)));
    assert.equal(small.list_complete, false);
  });
});
