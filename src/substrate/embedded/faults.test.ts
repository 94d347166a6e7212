/** @module Embedded-only behaviour: pause and resume, random drops, PoP names and regions. */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { VergeError } from "../../errors.js";
import { bytes, reader, stillPending, text } from "../conformance/support.js";
import { SubstrateError } from "../errors.js";
import { STORE_NODE } from "../types.js";
import { createEmbeddedSubstrate, type EmbeddedOptions, type EmbeddedSubstrate } from "./index.js";

const open: EmbeddedSubstrate[] = [];
after(() => Promise.all(open.map((substrate) => substrate.close())));
const make = (options: EmbeddedOptions = {}): EmbeddedSubstrate => {
  const substrate = createEmbeddedSubstrate({ latencyScale: 0, ...options });
  open.push(substrate);
  return substrate;
};

describe("embedded faults", () => {
  test("a partition from the store is reported to the PoP's view, and so is its heal; other links are not", () => {
    const substrate = make();
    const seen: Record<string, string[]> = { tokyo: [], london: [] };
    for (const pop of ["tokyo", "london"]) substrate.forPop(pop).onConnectionChange((status) => seen[pop].push(status));
    substrate.partition("tokyo", "london");
    substrate.partition("tokyo", STORE_NODE);
    substrate.partition("tokyo", STORE_NODE);
    substrate.heal("tokyo", STORE_NODE);
    substrate.partition("london", STORE_NODE);
    substrate.heal();
    assert.deepEqual(seen, { tokyo: ["disconnected", "reconnected"], london: ["disconnected", "reconnected"] });
  });

  test("a paused PoP receives nothing until resumed, then everything in order (unlike a partition)", { timeout: 5000 }, async () => {
    const substrate = make();
    const read = reader(await substrate.forPop("tokyo").subscribe("tail"));
    substrate.pause("tokyo");
    for (let i = 0; i < 5; i++) substrate.forPop("london").publish("tail", bytes(`m${i}`));
    const append = substrate.forPop("tokyo").append("s", bytes("x"));
    await read.nothing(100);
    assert.ok(await stillPending(append, 10));
    substrate.resume("tokyo");
    assert.deepEqual((await read.take(5)).map((m) => text(m.data)), ["m0", "m1", "m2", "m3", "m4"]);
    assert.equal(await append, 1);
  });

  test("drop rate 1 loses every message; a seeded rate repeats exactly", { timeout: 5000 }, async () => {
    const received = async (seed: number, rate: number): Promise<string[]> => {
      const substrate = make({ seed, dropRate: rate });
      const sub = await substrate.forPop("paris").subscribe("x");
      const out: string[] = [];
      const collected = (async () => {
        for await (const message of sub) out.push(text(message.data));
      })();
      for (let i = 0; i < 200; i++) substrate.forPop("london").publish("x", bytes(String(i)));
      await new Promise((resolve) => setTimeout(resolve, 50));
      await sub.close();
      await collected;
      return out;
    };
    assert.deepEqual(await received(1, 1), []);
    const first = await received(7, 0.5);
    assert.ok(first.length > 60 && first.length < 140, `${first.length} of 200 arrived`);
    assert.deepEqual(await received(7, 0.5), first);
    assert.throws(() => make().setDropRate(2), /Drop rate must be in \[0, 1\]: received 2/);
  });

  test("PoPs are named after regions, or say which region they stand in", () => {
    const substrate = make();
    assert.equal(substrate.forPop("tokyo").region, "tokyo");
    assert.equal(substrate.forPop("tokyo-2", { region: "tokyo" }).region, "tokyo");
    assert.equal(substrate.forPop("tokyo"), substrate.forPop("tokyo"));
    assert.throws(() => substrate.forPop("atlantis"), (error: unknown) => error instanceof VergeError && error.code === "unknown_region");
    assert.throws(() => substrate.forPop("store"), (error: unknown) => error instanceof SubstrateError && error.code === "invalid_name");
    assert.throws(() => make({ home: "mars" }), /Unknown region: received "mars"/);
  });
});
