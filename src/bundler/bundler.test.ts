/** @module Tests of bundleWorker: real esbuild builds of fixtures in temp directories, evaluated in node:vm contexts. */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import vm from "node:vm";
import { VergeError } from "../errors.js";
import { bundleWorker } from "./index.js";

const tempDirs: string[] = [];
after(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A fresh temp directory, removed when the file's tests end. */
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "verge-bundle-"));
  tempDirs.push(dir);
  return dir;
}

/** A fresh temp project (with a package.json, so messages name files from its root) holding `files`. */
function fixture(files: Record<string, string | Uint8Array>): string {
  const dir = tempDir();
  for (const [name, content] of Object.entries({ "package.json": '{ "name": "fixture" }', ...files })) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/**
 * Evaluate a bundle as a classic script in a bare ECMAScript context (no atob,
 * no Buffer), as in an isolate; the result evaluates expressions in that context.
 */
function evaluate(code: string, globals: Record<string, unknown> = {}): (expression: string) => unknown {
  const context = vm.createContext({ ...globals });
  vm.runInContext(code, context);
  return (expression) => vm.runInContext(expression, context) as unknown;
}

async function failsWith(promise: Promise<unknown>, code: string, message: string | RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof VergeError, `expected a VergeError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (typeof message === "string") assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}

/** (module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)) */
const ADD_WASM = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, // type section: (i32, i32) -> i32
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x07, 0x07, 0x01, 0x03, 0x61, 0x64, 0x64, 0x00, 0x00, // export section: "add" = function 0
  0x0a, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b, // code section
]);

void describe("bundleWorker", () => {
  void test("bundles TypeScript and leaves the module namespace in __verge_worker", async () => {
    const dir = fixture({
      "src/greet.ts": "export enum Tone { Loud = 'LOUD' }\nexport const greet = (who: string): string => `hello ${who}`;\n",
      "src/index.ts": `import { greet, Tone } from "./greet";
interface Env { NAME: string }
export class Counter { value = 1 }
export default { fetch(_request: unknown, env: Env): string { return greet(env.NAME) + " " + Tone.Loud; } };
`,
    });
    const bundle = await bundleWorker(path.join(dir, "src/index.ts"));
    assert.equal(bundle.entry, path.join(dir, "src/index.ts"));
    assert.equal(bundle.bytes, Buffer.byteLength(bundle.code));
    assert.deepEqual(bundle.watchFiles.sort(), [path.join(dir, "src/greet.ts"), path.join(dir, "src/index.ts")]);
    const run = evaluate(bundle.code);
    assert.equal(run("JSON.stringify(Object.keys(__verge_worker).sort())"), '["Counter","default"]');
    assert.equal(run("__verge_worker.default.fetch({}, { NAME: 'verge' })"), "hello verge LOUD");
    assert.equal(run("new __verge_worker.Counter().value"), 1);
    assert.equal(run("__verge_worker.Counter.name"), "Counter");
  });

  void test("handles JSX and minifies on request", async () => {
    const dir = fixture({
      "src/index.tsx": `/** @jsx h */
function h(tag: string, _props: unknown, ...children: string[]): string { return "<" + tag + ">" + children.join("") + "</" + tag + ">"; }
export default { fetch: () => <p>hi</p> };
`,
    });
    const plain = await bundleWorker(path.join(dir, "src/index.tsx"));
    const minified = await bundleWorker(path.join(dir, "src/index.tsx"), { minify: true });
    assert.ok(minified.bytes < plain.bytes);
    assert.equal(evaluate(minified.code)("__verge_worker.default.fetch()"), "<p>hi</p>");
  });

  void test("resolves npm imports from the worker's own node_modules with workerd conditions", async () => {
    const dir = fixture({
      "node_modules/x/package.json": JSON.stringify({
        name: "x",
        exports: { ".": { node: "./node.js", workerd: "./workerd.js", default: "./index.js" } },
      }),
      "node_modules/x/workerd.js": 'export const where = "workerd";\n',
      "node_modules/x/node.js": 'import fs from "node:fs"; export const where = "node";\n',
      "node_modules/x/index.js": 'export const where = "default";\n',
      "node_modules/y/package.json": JSON.stringify({ name: "y", main: "./main.js", browser: "./browser.js" }),
      "node_modules/y/main.js": 'module.exports = "main";\n',
      "node_modules/y/browser.js": 'module.exports = "browser";\n',
      "src/index.js": 'import { where } from "x";\nimport y from "y";\nexport default { where, y };\n',
    });
    const bundle = await bundleWorker(path.join(dir, "src/index.js"));
    assert.equal(evaluate(bundle.code)("JSON.stringify(__verge_worker.default)"), '{"where":"workerd","y":"browser"}');
    assert.ok(bundle.watchFiles.includes(path.join(dir, "node_modules/x/workerd.js")));
  });

  void test("a .wasm import is a WebAssembly.Module, decoded without atob or Buffer", async () => {
    const dir = fixture({
      "src/add.wasm": ADD_WASM,
      "src/index.ts": `import mod from "./add.wasm";
import again from "./add.wasm?module";
const instance = new WebAssembly.Instance(mod);
export default { fetch: () => (instance.exports.add as (a: number, b: number) => number)(2, 3), same: mod === again, mod };
`,
    });
    const bundle = await bundleWorker(path.join(dir, "src/index.ts"));
    assert.doesNotMatch(bundle.code, /\batob\b|\bBuffer\b/);
    const run = evaluate(bundle.code);
    assert.equal(run("typeof atob + typeof Buffer"), "undefinedundefined");
    assert.equal(run("__verge_worker.default.fetch()"), 5);
    assert.equal(run("__verge_worker.default.same"), true);
    assert.equal(run("__verge_worker.default.mod instanceof WebAssembly.Module"), true);
    assert.ok(bundle.watchFiles.includes(path.join(dir, "src/add.wasm")));
  });

  void test(".txt and .html import as text, .bin as an ArrayBuffer", async () => {
    const dir = fixture({
      "src/note.txt": "plain text\n",
      "src/page.html": "<h1>héllo</h1>",
      "src/data.bin": new Uint8Array([0, 1, 2, 250, 255]),
      "src/index.ts": `import note from "./note.txt";
import page from "./page.html";
import data from "./data.bin";
export default { note, page, data };
`,
    });
    const run = evaluate((await bundleWorker(path.join(dir, "src/index.ts"))).code);
    assert.equal(run("__verge_worker.default.note"), "plain text\n");
    assert.equal(run("__verge_worker.default.page"), "<h1>héllo</h1>");
    assert.equal(run("__verge_worker.default.data instanceof ArrayBuffer"), true);
    assert.equal(run("new Uint8Array(__verge_worker.default.data).join()"), "0,1,2,250,255");
  });

  void test("a service-worker script without exports leaves an empty namespace", async () => {
    const dir = fixture({ "worker.js": 'addEventListener("fetch", (event) => event.respondWith("ok"));\n' });
    const listeners: string[] = [];
    const run = evaluate((await bundleWorker(path.join(dir, "worker.js"))).code, {
      addEventListener: (type: string) => listeners.push(type),
    });
    assert.equal(run("typeof __verge_worker + JSON.stringify(__verge_worker)"), "object{}");
    assert.deepEqual(listeners, ["fetch"]);
  });
});

void describe("bundleWorker failures", () => {
  void test("Node.js built-ins are refused, naming the import and the importing file", async () => {
    const dir = fixture({ "src/index.ts": 'import { readFileSync } from "node:fs";\nexport default { readFileSync };\n' });
    await failsWith(
      bundleWorker(path.join(dir, "src/index.ts")),
      "bundle_failed",
      'src/index.ts: "node:fs" cannot be imported: Node.js built-in modules are not available in Verge workers',
    );
  });

  void test("bare built-in names are refused inside dependencies too, unless an npm package provides them", async () => {
    const dir = fixture({
      "node_modules/dep/package.json": '{ "name": "dep", "main": "index.js" }',
      "node_modules/dep/index.js": 'const path = require("path");\nmodule.exports = path.join;\n',
      "src/index.ts": 'import join from "dep";\nexport default { join };\n',
    });
    await failsWith(
      bundleWorker(path.join(dir, "src/index.ts")),
      "bundle_failed",
      'node_modules/dep/index.js: "path" cannot be imported: Node.js built-in modules are not available in Verge workers',
    );
    fs.mkdirSync(path.join(dir, "node_modules/path"));
    fs.writeFileSync(path.join(dir, "node_modules/path/package.json"), '{ "name": "path", "main": "index.js" }');
    fs.writeFileSync(path.join(dir, "node_modules/path/index.js"), "exports.join = (...parts) => parts.join('/');\n");
    const run = evaluate((await bundleWorker(path.join(dir, "src/index.ts"))).code);
    assert.equal(run("__verge_worker.default.join('a', 'b')"), "a/b");
  });

  void test("a syntax error names file, line and column with esbuild's text", async () => {
    const dir = fixture({ "src/index.ts": "export default {\n  fetch() { return 1 +; },\n};\n" });
    await failsWith(bundleWorker(path.join(dir, "src/index.ts")), "bundle_failed", /^src\/index\.ts:2:23: Unexpected ";"$/);
  });

  void test("every error is listed, one per line", async () => {
    const dir = fixture({ "src/index.ts": 'import a from "./missing";\nimport b from "nope";\nexport default { a, b };\n' });
    await failsWith(
      bundleWorker(path.join(dir, "src/index.ts")),
      "bundle_failed",
      'src/index.ts:1:15: Could not resolve "./missing"\nsrc/index.ts:2:15: Could not resolve "nope"',
    );
  });

  void test("a missing entry is bundle_failed naming the path", async () => {
    const entry = path.join(fixture({}), "src/none.ts");
    await failsWith(bundleWorker(entry), "bundle_failed", `Worker entry does not exist: "${entry}"`);
  });

  void test("a bundle over the default 10 MB limit is script_too_large", async () => {
    const dir = fixture({ "src/index.ts": `export default { big: "${"x".repeat(11 * 1024 * 1024)}" };\n` });
    await failsWith(
      bundleWorker(path.join(dir, "src/index.ts")),
      "script_too_large",
      "Worker bundle is 11.0 MB, over the 10 MB limit: src/index.ts",
    );
  });

  void test("maxBytes overrides the limit", async () => {
    const dir = fixture({ "src/index.ts": `export default { text: "${"y".repeat(4096)}" };\n` });
    await failsWith(bundleWorker(path.join(dir, "src/index.ts"), { maxBytes: 2048 }), "script_too_large", /^Worker bundle is \d\.\d KB, over the 2 KB limit: src\/index\.ts$/);
    const bundle = await bundleWorker(path.join(dir, "src/index.ts"), { maxBytes: 8192 });
    assert.ok(bundle.bytes > 4096 && bundle.bytes <= 8192);
  });
});
