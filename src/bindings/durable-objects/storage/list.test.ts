/** @module list(): UTF-8 byte order with non-ASCII keys, and every combination of prefix, start, startAfter, end, limit and reverse against a reference model. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ObjectStorage } from "./index.js";
import type { ListOptions } from "./index.js";

const bytes = (text: string) => new TextEncoder().encode(text);

// U+FB01 (EF AC 81 in UTF-8) sorts before U+1F600 (F0 9F 98 80) in UTF-8 byte order, but after it in
// UTF-16 code unit order (U+1F600 is the surrogate pair D83D DE00): the two orders disagree here.
const KEYS = ["", "a", "a\u0000", "ab", "abc", "ac", "b", "B", "Z", "é", "éa", "e\u0301", "z", "\u00ff", "\u0100", "\uFB01", "\u{1F600}", "\u{1F600}x", "日本", "日本語", "~"];

function utf8Order(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/** What Workers answers, computed directly: filter, sort by bytes, reverse, limit. */
function model(keys: string[], o: ListOptions): string[] {
  const inRange = (k: string) =>
    (o.prefix === undefined || Buffer.from(k).subarray(0, Buffer.byteLength(o.prefix)).equals(Buffer.from(o.prefix))) &&
    (o.start === undefined || utf8Order(k, o.start) >= 0) &&
    (o.startAfter === undefined || utf8Order(k, o.startAfter) > 0) &&
    (o.end === undefined || utf8Order(k, o.end) < 0);
  const sorted = keys.filter(inRange).sort(utf8Order);
  if (o.reverse) sorted.reverse();
  return o.limit === undefined ? sorted : sorted.slice(0, o.limit);
}

function filled(): ObjectStorage {
  const storage = new ObjectStorage(":memory:");
  for (let i = 0; i < KEYS.length; i += 100) storage.put(Object.fromEntries(KEYS.slice(i, i + 100).map((k) => [k, bytes(`v:${k}`)])));
  return storage;
}

test("list() is in UTF-8 byte order, not UTF-16 order, and values come with their keys", () => {
  const storage = filled();
  const listed = storage.list();
  assert.deepEqual([...listed.keys()], [...KEYS].sort(utf8Order));
  assert.ok([...listed.keys()].indexOf("\uFB01") < [...listed.keys()].indexOf("\u{1F600}"));
  assert.notDeepEqual([...KEYS].sort(utf8Order), [...KEYS].sort(), "the two orders differ for these keys");
  for (const [key, value] of listed) assert.equal(new TextDecoder().decode(value), `v:${key}`);
  assert.deepEqual([...storage.list({ reverse: true }).keys()], [...KEYS].sort(utf8Order).reverse());
});

test("every combination of prefix, start or startAfter, end, limit and reverse matches the model", () => {
  const storage = filled();
  const bounds = [undefined, "", "a", "ab", "abd", "é", "\uFB01", "\u{1F600}", "日", "\u{10FFFF}"];
  const prefixes = [undefined, "", "a", "é", "日本", "\u{1F600}", "nothing"];
  let cases = 0;
  for (const prefix of prefixes)
    for (const low of bounds)
      for (const startKind of ["start", "startAfter"] as const)
        for (const end of bounds)
          for (const limit of [undefined, 1, 2, 5])
            for (const reverse of [false, true]) {
              if (low === undefined && startKind === "startAfter") continue;
              const options: ListOptions = { prefix, [startKind]: low, end, limit, reverse };
              for (const name of Object.keys(options) as (keyof ListOptions)[]) if (options[name] === undefined) delete options[name];
              assert.deepEqual([...storage.list(options).keys()], model(KEYS, options), JSON.stringify(options));
              cases++;
            }
  assert.ok(cases > 5000, `${cases} combinations`);
});

test("a range where start is after end, or a prefix nothing has, lists nothing", () => {
  const storage = filled();
  assert.equal(storage.list({ start: "z", end: "a" }).size, 0);
  assert.equal(storage.list({ start: "b", end: "b" }).size, 0);
  assert.equal(storage.list({ prefix: "q" }).size, 0);
  assert.deepEqual([...storage.list({ prefix: "a", limit: 2, reverse: true }).keys()], ["ac", "abc"]);
});

test("bad options are refused with the option and the value named", () => {
  const storage = filled();
  const list = storage.list.bind(storage) as (o: unknown) => unknown;
  assert.throws(() => list({ limit: 0 }), { code: "invalid_option", message: /limit must be a whole number from 1: received number 0/ });
  assert.throws(() => list({ limit: 1.5 }), { code: "invalid_option" });
  assert.throws(() => list({ limit: "10" }), { code: "invalid_option", message: /"10"/ });
  assert.throws(() => list({ reverse: 1 }), { code: "invalid_option" });
  assert.throws(() => list({ prefix: 3 }), { code: "invalid_option", message: /prefix must be a string/ });
  assert.throws(() => list({ start: "a", startAfter: "b" }), { code: "invalid_option", message: /not both/ });
  assert.throws(() => list({ cursor: "x" }), { code: "invalid_option", message: /no option "cursor"/ });
  assert.throws(() => list("a"), { code: "invalid_option" });
  assert.equal(storage.list({ allowConcurrency: true, noCache: true, limit: 1 } as ListOptions).size, 1, "Workers' hints are ignored");
  const long = "a".repeat(3000);
  assert.deepEqual([...storage.list({ start: long }).keys()], model(KEYS, { start: long }), "a bound longer than any key is still a bound");
});
