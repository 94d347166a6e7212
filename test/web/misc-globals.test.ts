/** @module atob/btoa, structuredClone, the global scope (self, navigator, no Node globals) and WebAssembly inside an isolate. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startTestPop, type TestPop } from "../support/pop.js";
import { assertError, checksWorker, pathRoute, runChecks, valueOf, type CheckResult } from "./checks.js";

const ATOB_INPUTS = ["", "YQ", "YQ=", "YQ==", "YWI", "YWI=", "YWJj", " Y W\tJ\nj\f\r", "YR", "/+/+", "YQ===", "Y", "YQ=a", "=YQ", "YWJj=", "ab$c", "YQ==\n", "\u00ff", "YWJ\u00a0j"];
const BTOA_INPUTS = ["", "a", "ab", "abc", "\u00ff\u00fe\u0000", "hello, world", "\u0100", "\u20ac", "a\ud83d"];

/** A minimal wasm module exporting add(i32, i32) -> i32, written out by hand. */
const ADD_WASM = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, // type section: (i32, i32) -> i32
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x07, 0x07, 0x01, 0x03, 0x61, 0x64, 0x64, 0x00, 0x00, // export section: "add" = func 0
  0x0a, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b, // code: local.get 0, local.get 1, i32.add
]);

const helpers = `
const ADD = new Uint8Array(${JSON.stringify([...ADD_WASM])});
const attempt = (fn) => { try { return { ok: fn() }; } catch (e) { return { error: e.name, code: e.code, isDOMException: e instanceof DOMException }; } };`;

const checks = `{
  atob: async () => ${JSON.stringify(ATOB_INPUTS)}.map((s) => attempt(() => atob(s))),
  btoa: async () => ${JSON.stringify(BTOA_INPUTS)}.map((s) => attempt(() => btoa(s))),
  base64Coercion: async () => [btoa(null), btoa(123), atob(null), attempt(() => atob(undefined)), attempt(() => atob()).error, atob(btoa("\\u0000\\u00ff".repeat(50))).length],
  cloneKinds: async () => {
    const date = new Date(86400000);
    const source = { n: -0, big: 10n, s: "x", u: undefined, nested: { arr: [1, , 3], deep: { ok: true } },
      map: new Map([[{ k: 1 }, "v"]]), set: new Set([1, "two"]), date, re: /a+b/gi,
      boxed: [Object(1), Object("s"), Object(false)], err: new RangeError("range", { cause: "c" }), dom: new DOMException("m", "AbortError") };
    const copy = structuredClone(source);
    return {
      distinct: copy !== source && copy.nested !== source.nested && copy.nested.deep !== source.nested.deep,
      negZero: Object.is(copy.n, -0), big: typeof copy.big, u: "u" in copy, hole: 1 in copy.nested.arr, arr: copy.nested.arr.length,
      map: copy.map instanceof Map && [...copy.map][0][0].k === 1 && [...copy.map][0][1] === "v",
      set: [...copy.set],
      date: copy.date instanceof Date && copy.date !== date && copy.date.getTime() === 86400000,
      re: [copy.re instanceof RegExp, copy.re.source, copy.re.flags, copy.re !== source.re],
      boxed: copy.boxed.map((b) => [typeof b, b.valueOf()]),
      err: [copy.err instanceof RangeError, copy.err.message, copy.err.cause, typeof copy.err.stack],
      dom: [copy.dom instanceof DOMException, copy.dom.name, copy.dom.code, copy.dom.message],
    };
  },
  cloneCycles: async () => {
    const a = { name: "a" };
    const b = { a, list: [a] };
    a.self = a;
    a.b = b;
    const map = new Map();
    map.set("me", map);
    const copy = structuredClone({ a, b, map });
    return [copy.a.self === copy.a, copy.a.b === copy.b, copy.b.list[0] === copy.a, copy.a !== a, copy.map.get("me") === copy.map];
  },
  cloneBuffers: async () => {
    const buffer = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]).buffer;
    const view = new Uint16Array(buffer, 2, 2);
    const data = new DataView(buffer, 4);
    const copy = structuredClone({ buffer, view, data, f: new Float64Array([1.5]) });
    copy.view[0] = 0xffff;
    return {
      shared: copy.view.buffer === copy.buffer && copy.data.buffer === copy.buffer,
      copied: copy.buffer !== buffer && new Uint8Array(buffer)[2] === 3,
      view: [copy.view.constructor.name, copy.view.byteOffset, copy.view.length],
      data: [copy.data instanceof DataView, copy.data.byteOffset, copy.data.getUint8(0)],
      f: [...copy.f],
    };
  },
  cloneTransfer: async () => {
    const buffer = new Uint8Array([9, 8, 7]).buffer;
    const copy = structuredClone({ buffer }, { transfer: [buffer] });
    return {
      bytes: [...new Uint8Array(copy.buffer)], distinct: copy.buffer !== buffer,
      notTransferable: attempt(() => structuredClone(1, { transfer: [{}] })),
      twice: attempt(() => structuredClone(1, { transfer: [buffer, buffer] })),
    };
  },
  cloneRefusals: async () => [
    () => structuredClone(function named() {}), () => structuredClone({ f: () => 1 }), () => structuredClone(Symbol("s")),
    () => structuredClone({ s: Object(Symbol("w")) }), () => structuredClone(new Headers()), () => structuredClone(new AbortController().signal),
    () => structuredClone(Promise.resolve()), () => structuredClone(new WeakMap()),
  ].map((fn) => attempt(fn)),
  cloneMessage: async () => errorOf(() => structuredClone({ fn: function hello() {} })),
  cloneNeedsArgument: async () => errorOf(() => structuredClone()),
  cloneClassInstance: async () => {
    class Point { constructor() { this.x = 1; } get y() { return 2; } }
    const copy = structuredClone(new Point());
    return [copy instanceof Point, Object.getPrototypeOf(copy) === Object.prototype, copy.x, copy.y];
  },
  nodeGlobalsAbsent: async () => {
    const g = globalThis;
    return Object.fromEntries(["process", "require", "Buffer", "module", "global", "setImmediate", "clearImmediate", "__dirname", "__filename", "exports"].map((n) => [n, [typeof g[n], n in g]]));
  },
  typeofNodeGlobals: async () => [typeof process, typeof Buffer, typeof global, typeof setImmediate, typeof __dirname],
  scope: async () => ({
    self: self === globalThis, globalThis: typeof globalThis, userAgent: navigator.userAgent,
    webGlobals: ["atob", "btoa", "structuredClone", "queueMicrotask", "TextEncoderStream", "TextDecoderStream", "CompressionStream", "DecompressionStream", "CustomEvent", "WebAssembly", "performance", "crypto"].filter((n) => !(n in globalThis)),
    enumerable: Object.keys(globalThis).filter((k) => k !== "__verge_worker"),
  }),
  wasmSync: async () => new WebAssembly.Instance(new WebAssembly.Module(ADD)).exports.add(2, 3),
  wasmAsync: async () => {
    const { module, instance } = await WebAssembly.instantiate(ADD);
    const compiled = await WebAssembly.compile(ADD.buffer);
    const second = await WebAssembly.instantiate(compiled);
    return [module instanceof WebAssembly.Module, instance.exports.add(20, 22), second instanceof WebAssembly.Instance, second.exports.add(-1, 1), WebAssembly.validate(ADD)];
  },
  wasmImports: async () => {
    // (import "env" "log" (func (param i32))) + an exported "run" that calls it with 7
    const bytes = new Uint8Array([0,97,115,109,1,0,0,0, 1,8,2,96,1,127,0,96,0,0, 2,11,1,3,101,110,118,3,108,111,103,0,0, 3,2,1,1, 7,7,1,3,114,117,110,0,1, 10,8,1,6,0,65,7,16,0,11]);
    let got;
    const { instance } = await WebAssembly.instantiate(bytes, { env: { log: (v) => { got = v; } } });
    instance.exports.run();
    return got;
  },
  wasmErrors: async () => {
    const bad = new Uint8Array([0, 97, 115, 109, 2, 0, 0, 0]);
    const compile = await WebAssembly.compile(bad).then(() => "resolved", (e) => e instanceof WebAssembly.CompileError);
    const sync = attempt(() => new WebAssembly.Module(bad)).error;
    return [compile, sync];
  },
  wasmStreaming: async () => {
    const ok = await WebAssembly.instantiateStreaming(new Response(ADD, { headers: { "content-type": "application/wasm" } }));
    const module = await WebAssembly.compileStreaming(Promise.resolve(new Response(ADD, { headers: { "content-type": "application/wasm; x=1" } })));
    const wrongType = await WebAssembly.compileStreaming(new Response(ADD)).then(() => "resolved", (e) => e.name);
    return [ok.instance.exports.add(1, 2), module instanceof WebAssembly.Module, wrongType];
  },
}`;

const wasmImportWorker = `
import addModule from "./add.wasm";
export default {
  async fetch() {
    const instance = await WebAssembly.instantiate(addModule);
    return Response.json({ isModule: addModule instanceof WebAssembly.Module, sum: instance.exports.add(40, 2), exports: WebAssembly.Module.exports(addModule) });
  },
};`;

let pop: TestPop;
let results: Record<string, CheckResult>;
before(async () => {
  pop = await startTestPop([
    { name: "misc", source: checksWorker(checks, helpers), routes: pathRoute("checks") },
    { name: "wasm-import", files: { "index.js": wasmImportWorker, "add.wasm": ADD_WASM }, routes: pathRoute("wasm") },
  ]);
  results = await runChecks(pop, "/checks");
});
after(() => pop.close());

/** What Node (which follows the HTML spec) does with the same input. */
function nodeAttempt(fn: () => string): unknown {
  try {
    return { ok: fn() };
  } catch (error) {
    return { error: (error as DOMException).name, code: (error as DOMException).code, isDOMException: true };
  }
}

test("atob is forgiving-base64: whitespace, optional padding, InvalidCharacterError otherwise", () => {
  const expected = ATOB_INPUTS.map((input) => nodeAttempt(() => atob(input)));
  assert.deepEqual(valueOf(results, "atob"), expected);
  const accepted = (expected as { ok?: string }[]).filter((e) => e.ok !== undefined).length;
  assert.ok(accepted > 5 && accepted < ATOB_INPUTS.length - 5, "the inputs cover both outcomes");
});

test("btoa encodes Latin-1 and refuses any character above U+00FF", () => {
  assert.deepEqual(valueOf(results, "btoa"), BTOA_INPUTS.map((input) => nodeAttempt(() => btoa(input))));
  const [nul, num, decodedNull, undef, missing, roundTrip] = valueOf(results, "base64Coercion") as unknown[];
  assert.deepEqual([nul, num, decodedNull, undef, missing, roundTrip], ["bnVsbA==", "MTIz", atob("null"), { error: "InvalidCharacterError", code: 5, isDOMException: true }, "TypeError", 100]);
});

test("structuredClone copies primitives, Map, Set, Date, RegExp, wrappers, errors and DOMException", () => {
  assert.deepEqual(valueOf(results, "cloneKinds"), {
    distinct: true, negZero: true, big: "bigint", u: true, hole: false, arr: 3, map: true, set: [1, "two"], date: true,
    re: [true, "a+b", "gi", true], boxed: [["object", 1], ["object", "s"], ["object", false]],
    err: [true, "range", "c", "string"], dom: [true, "AbortError", 20, "m"],
  });
});

test("structuredClone keeps cycles and shared references", () => {
  assert.deepEqual(valueOf(results, "cloneCycles"), [true, true, true, true, true]);
});

test("structuredClone copies ArrayBuffers once, and views keep sharing the copied buffer", () => {
  assert.deepEqual(valueOf(results, "cloneBuffers"), {
    shared: true, copied: true, view: ["Uint16Array", 2, 2], data: [true, 4, 5], f: [1.5],
  });
});

test("structuredClone accepts transfer of ArrayBuffers (copied: the isolate cannot detach) and rejects the rest", () => {
  assert.deepEqual(valueOf(results, "cloneTransfer"), {
    bytes: [9, 8, 7], distinct: true,
    notTransferable: { error: "DataCloneError", code: 25, isDOMException: true },
    twice: { error: "DataCloneError", code: 25, isDOMException: true },
  });
});

test("structuredClone throws DataCloneError for functions, symbols and platform objects", () => {
  const refusal = { error: "DataCloneError", code: 25, isDOMException: true };
  assert.deepEqual(valueOf(results, "cloneRefusals"), Array(8).fill(refusal));
  assertError(results, "cloneMessage", "DataCloneError", /function hello could not be cloned/);
  assertError(results, "cloneNeedsArgument", "TypeError");
  assert.deepEqual(valueOf(results, "cloneClassInstance"), [false, true, 1, null]);
});

test("Node globals are undefined, as in workerd", () => {
  const absent = Object.fromEntries(Object.keys(valueOf(results, "nodeGlobalsAbsent") as object).map((n) => [n, ["undefined", false]]));
  assert.deepEqual(valueOf(results, "nodeGlobalsAbsent"), absent);
  assert.deepEqual(valueOf(results, "typeofNodeGlobals"), ["undefined", "undefined", "undefined", "undefined", "undefined"]);
});

test("self is globalThis, navigator.userAgent names Verge, Web globals exist and none is enumerable", () => {
  const scope = valueOf(results, "scope") as { self: boolean; globalThis: string; userAgent: string; webGlobals: string[]; enumerable: string[] };
  assert.equal(scope.self, true);
  assert.equal(scope.globalThis, "object");
  assert.match(scope.userAgent, /^Verge\/\d/);
  assert.deepEqual(scope.webGlobals, []);
  assert.deepEqual(scope.enumerable, []);
});

test("WebAssembly: new Module is synchronous; compile and instantiate settle their promises", () => {
  assert.equal(valueOf(results, "wasmSync"), 5);
  assert.deepEqual(valueOf(results, "wasmAsync"), [true, 42, true, 0, true]);
  assert.equal(valueOf(results, "wasmImports"), 7);
  assert.deepEqual(valueOf(results, "wasmErrors"), [true, "CompileError"]);
  assert.deepEqual(valueOf(results, "wasmStreaming"), [3, true, "TypeError"]);
});

test("a .wasm file imported by the worker is a WebAssembly.Module", async () => {
  const res = await pop.fetch("/wasm");
  assert.equal(res.status, 200, await res.clone().text());
  assert.deepEqual(await res.json(), { isModule: true, sum: 42, exports: [{ name: "add", kind: "function" }] });
});
