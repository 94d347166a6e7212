/**
 * @module The cached-products example on three PoPs sharing one embedded
 * substrate: each PoP caches products apart, a product change at the origin
 * purges its tag at every PoP, and a PoP cut off during the purge replays it
 * before it serves from cache again.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { STORE_NODE } from "../../../src/substrate/types.js";
import { startNetwork, until, type Network } from "../../../test/support/network.js";
import { startProductOrigin, type ProductOrigin } from "../origin/server.js";

const EXAMPLE_DIR = fileURLToPath(new URL("..", import.meta.url));
const POPS = ["tokyo", "frankfurt", "virginia"];

let net: Network;
let origin: ProductOrigin;
let purgeTarget = "";
before(async () => {
  // The origin purges through the first PoP's control area; its port is known once the network runs.
  origin = await startProductOrigin(0, "http://127.0.0.1:1/unset");
  net = await startNetwork(EXAMPLE_DIR, POPS, 0.2, { ORIGIN: origin.url }, "virginia", { egress: { allowLocal: true }, cache: { feed: { checkMs: 100, leaseMs: 600 } } });
  purgeTarget = `${net.pops.tokyo.url}/__verge/purge`;
});
after(async () => {
  await net?.close();
  await origin?.close();
});

async function product(pop: string, id: string): Promise<{ price: number; cache: string | null }> {
  const response = await net.fetch(pop, `/products/${id}`);
  assert.equal(response.status, 200, `${pop} /products/${id}`);
  const body = (await response.json()) as { price: number };
  return { price: body.price, cache: response.headers.get("x-cache") };
}

/** Changes a product at the origin and purges its tag through `purgeTarget`, as the example's origin does. */
async function change(id: string, price: number): Promise<void> {
  origin.products.set(id, { ...origin.products.get(id)!, price });
  const purged = await fetch(purgeTarget, { method: "POST", body: JSON.stringify({ tags: [`product:${id}`] }) });
  assert.equal(purged.status, 200, await purged.text());
}

describe("cached-products", () => {
  test("each PoP fetches a product from the origin once, then answers from its cache", async () => {
    for (const pop of POPS) {
      assert.deepEqual(await product(pop, "grinder"), { price: 129, cache: "MISS" });
      assert.deepEqual(await product(pop, "grinder"), { price: 129, cache: "HIT" });
    }
    assert.equal(origin.reads.get("/products/grinder"), POPS.length);
  });

  test("a product change purges its tag at every PoP; other products stay cached", async () => {
    for (const pop of POPS) {
      await product(pop, "kettle");
      await product(pop, "espresso");
    }
    await change("kettle", 65);
    for (const pop of POPS) {
      await until(async () => (await product(pop, "kettle")).price === 65, `${pop} serves the new kettle price`, 3000);
      assert.equal((await product(pop, "espresso")).cache, "HIT", `${pop}: espresso was not purged`);
    }
  });

  test("a PoP cut off during a purge never serves the purged product after it reconnects", async () => {
    for (const pop of POPS) assert.equal((await product(pop, "espresso")).price, 349);
    assert.equal((await product("frankfurt", "espresso")).cache, "HIT");
    // Frankfurt loses the store and the other PoPs: the broadcast is lost, the log waits.
    for (const other of [STORE_NODE, "tokyo", "virginia"]) net.substrate.partition("frankfurt", other);
    await change("espresso", 399);
    await until(async () => (await product("tokyo", "espresso")).price === 399, "tokyo serves the new price", 3000);
    // Cut off, frankfurt cannot know what was purged: it answers from the origin, not from its cache.
    assert.deepEqual(await product("frankfurt", "espresso"), { price: 399, cache: "BYPASS" });
    net.substrate.heal();
    // From the heal on, frankfurt answers the new price, from the origin or its cache: never the purged one.
    const deadline = Date.now() + 1000;
    while (Date.now() < deadline) {
      const seen = await product("frankfurt", "espresso");
      assert.equal(seen.price, 399, `frankfurt served the purged price (x-cache ${seen.cache})`);
    }
    await until(async () => (await product("frankfurt", "espresso")).cache === "HIT", "frankfurt caches again once it has replayed the purge log", 3000);
  });
});
