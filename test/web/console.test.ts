/** @module console inside an isolate: lines captured per request with their level, formatted as Node's util.format does. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { formatWithOptions } from "node:util";
import { startTestPop, type TestPop } from "../support/pop.js";
import type { LogLine } from "../../src/runtime/invocation.js";

/** Argument lists, as JS source, that the isolate logs and Node formats for comparison. */
const CASES = [
  `["%s is %d years", "Bob", 42.5]`,
  `["%i|%f|%j", 42.9, "3.5x", { a: [1, "x"] }]`,
  `["%c styled", "color: red"]`,
  `["100%", 5]`,
  `["%%s %s", "a", "extra", { x: 1 }]`,
  `["%s|%s|%d", { a: { b: { c: 1 } } }, 7n, 7n]`,
  `[{ s: "it's", n: -0, big: 10n, nested: { deep: { deeper: { deepest: 1 } } }, arr: [1, "2", undefined, null], sym: Symbol("q"), [Symbol("k")]: 1, "key with space": true }]`,
  `[new Map([["a", 1]]), new Set([1]), new Map(), []]`,
  `[new Date(0), /x+/g, new Uint8Array([1, 2]), new ArrayBuffer(2)]`,
  `[Object.create(null), class Foo {}, function named() {}, [() => {}]]`,
  `[{ get g() { return 1; }, set s(v) {}, get gs() { return 1; }, set gs(v) {} }]`,
  `[new (class Point { constructor() { this.x = 1; } })()]`,
  `[1, "str", true, null, undefined, 5n, Symbol.iterator]`,
  `[[1, [2, [3, [4]]]]]`,
  `[{ a: "multi\\nline", b: 'q"uote', c: "both'\\"" }]`,
  `[Array.from({ length: 120 }, (_, i) => i)]`,
  `[]`,
];

const worker = `
export default {
  async fetch(request) {
    const mode = new URL(request.url).pathname;
    if (mode === "/cases") {
      for (const args of [${CASES.join(",\n")}]) console.log(...args);
    } else {
      console.debug("d"); console.info("i"); console.warn("w"); console.error("e"); console.log("l");
      const error = new TypeError("boom", { cause: new Error("root") });
      error.code = "E_BOOM";
      console.error("failed:", error);
      const loop = { name: "loop", list: [] };
      loop.self = loop;
      loop.list.push(loop);
      console.log(loop);
      console.log("%o", loop);
      console.log({ get bad() { throw new Error("getter ran"); } });
      console.log(new Proxy({}, { ownKeys() { throw new Error("trap"); } }));
      console.assert(true, "not shown");
      console.assert(false, "shown %s", "here");
      console.count(); console.count(); console.count("x"); console.countReset(); console.count();
      console.group("G"); console.log("inner\\nsecond"); console.group(); console.warn("deeper"); console.groupEnd(); console.groupEnd(); console.log("outer");
      console.time("t"); console.timeLog("t", { at: 1 }); console.timeEnd("t"); console.timeEnd("t");
      console.trace("here");
      console.dir("str");
      const log = console.log;
      log("detached");
    }
    return new Response("ok");
  },
};`;

let pop: TestPop;
before(async () => {
  pop = await startTestPop([{ name: "console", source: worker }]);
});
after(() => pop.close());

async function linesOf(path: string): Promise<LogLine[]> {
  const res = await pop.fetch(path);
  assert.equal(await res.text(), "ok");
  const log = pop.logs.at(-1);
  assert.equal(log?.path, path);
  return log.logs;
}

test("format strings and values print as Node's util.format prints them on one line", async () => {
  const lines = await linesOf("/cases");
  // compact: true keeps Node from laying long arrays out in columns; the isolate writes one line.
  const expected = CASES.map((source) => formatWithOptions({ breakLength: Infinity, compact: true }, ...(eval(source) as unknown[])));
  assert.deepEqual(lines.map((line) => line.message), expected);
  assert.ok(lines.every((line) => line.level === "log"));
});

test("levels, errors with stack and cause, cycles, getters, counters, groups, timers, trace", async () => {
  const lines = await linesOf("/other");
  const [d, i, w, e, l, failed, loop, loopO, getter, proxy, assertion, c1, c2, cx, c3, group, inner, deeper, outer, timeLog, timeEnd, missing, trace, dir, detached] = lines;
  assert.deepEqual([d, i, w, e, l], [{ level: "debug", message: "d" }, { level: "info", message: "i" }, { level: "warn", message: "w" }, { level: "error", message: "e" }, { level: "log", message: "l" }]);
  assert.equal(failed.level, "error");
  assert.match(failed.message, /^failed: TypeError: boom\n {4}at /);
  assert.match(failed.message, /code: 'E_BOOM'/);
  assert.match(failed.message, /\[cause\]: Error: root\n {4}at /);
  assert.equal(loop.message, "{ name: 'loop', list: [ [Circular] ], self: [Circular] }");
  assert.equal(loopO.message, loop.message);
  assert.equal(getter.message, "{ bad: [Getter] }");
  assert.match(proxy.message, /^\[console could not format its arguments: trap\]$/);
  assert.deepEqual(assertion, { level: "error", message: "Assertion failed: shown here" });
  assert.deepEqual([c1, c2, cx, c3].map((line) => line.message), ["default: 1", "default: 2", "x: 1", "default: 1"]);
  assert.deepEqual([group, inner, deeper, outer].map((line) => line.message), ["G", "  inner\n  second", "    deeper", "outer"]);
  assert.equal(deeper.level, "warn");
  assert.match(timeLog.message, /^t: \d+(\.\d+)?ms \{ at: 1 \}$/);
  assert.match(timeEnd.message, /^t: \d+(\.\d+)?ms$/);
  assert.deepEqual(missing, { level: "warn", message: "Warning: No such label 't' for console.timeEnd()" });
  assert.match(trace.message, /^Trace: here\n {4}at /);
  assert.equal(dir.message, "'str'");
  assert.equal(detached.message, "detached");
  assert.equal(lines.length, 25);
});

test("lines belong to the request that wrote them", async () => {
  await linesOf("/cases");
  const [first, second] = pop.logs.slice(-2).length === 2 ? pop.logs.slice(-2) : [undefined, undefined];
  assert.ok(first && second);
  assert.notEqual(first.ray, second.ray);
  assert.equal(second.logs.length, CASES.length);
});
