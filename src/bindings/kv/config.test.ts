/** @module `kv_namespaces` parsing: descriptors, and errors naming the file, the key and the value. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { bindingsFromConfig } from "../registry.js";

test("kv_namespaces become kv descriptors", () => {
  assert.deepEqual(bindingsFromConfig({ kv_namespaces: [{ binding: "FLAGS", id: "flags" }] }, "/w/wrangler.toml"), [{ name: "FLAGS", kind: "kv", config: { id: "flags" } }]);
  assert.deepEqual(bindingsFromConfig({}, "/w/wrangler.toml"), []);
});

test("bad kv_namespaces entries fail naming file, key and value", () => {
  const cases: [unknown, RegExp][] = [
    ["x", /wrangler\.toml: kv_namespaces must be an array: received "x"/],
    [[42], /wrangler\.toml: kv_namespaces\[0\] must be a table with binding and id: received 42/],
    [[{ binding: "1bad", id: "a" }], /kv_namespaces\[0\]\.binding must be a JavaScript identifier .*: received "1bad"/],
    [[{ binding: "A", id: "a b" }], /kv_namespaces\[0\]\.id must be 1 to 61 characters .*: received "a b"/],
    [[{ binding: "A", id: "a" }, { binding: "A", id: "b" }], /kv_namespaces\[1\]\.binding names a binding twice: received "A"/],
  ];
  for (const [value, message] of cases) assert.throws(() => bindingsFromConfig({ kv_namespaces: value }, "/w/wrangler.toml"), message);
});
