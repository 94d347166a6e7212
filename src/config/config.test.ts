/** @module Tests of loadWorkerConfig against real files in fresh temp directories. */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { VergeError } from "../errors.js";
import { loadWorkerConfig } from "./index.js";

const tempDirs: string[] = [];
after(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A fresh temp directory, removed when the file's tests end. */
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "verge-config-"));
  tempDirs.push(dir);
  return dir;
}

/** A fresh temp directory holding `files` (path → content) and an entry at src/index.ts. */
function fixture(files: Record<string, string>): string {
  const dir = tempDir();
  const all = { "src/index.ts": "export default {};\n", ...files };
  for (const [name, content] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/** Assert that loading rejects with `code` and exactly `message`. */
async function rejects(target: string, code: string, message: string | RegExp): Promise<void> {
  await assert.rejects(loadWorkerConfig(target), (error: unknown) => {
    assert.ok(error instanceof VergeError, `expected a VergeError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (typeof message === "string") assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}

const TOML_BASE = 'name = "app"\nmain = "src/index.ts"\n';

void describe("config formats", () => {
  void test("wrangler.toml with every supported key", async () => {
    const dir = fixture({
      "wrangler.toml": `${TOML_BASE}compatibility_date = "2024-09-23"
route = "example.com/*"
[vars]
GREETING = "hello"
FEATURES = { beta = true, ratio = 0.5 }
LIST = [1, 2]
[limits]
cpu_ms = 100
`,
    });
    const config = await loadWorkerConfig(dir);
    assert.equal(config.name, "app");
    assert.equal(config.main, path.join(dir, "src/index.ts"));
    assert.equal(config.compatibilityDate, "2024-09-23");
    assert.deepEqual(config.vars, { GREETING: "hello", FEATURES: { beta: true, ratio: 0.5 }, LIST: [1, 2] });
    assert.deepEqual(config.routes, [{ pattern: "example.com/*" }]);
    assert.deepEqual(config.limits, { cpuMs: 100 });
    assert.equal(config.configPath, path.join(dir, "wrangler.toml"));
    assert.deepEqual(config.warnings, []);
    assert.deepEqual(config.raw.limits, { cpu_ms: 100 });
  });

  void test("wrangler.jsonc with comments, trailing commas, $schema and route objects", async () => {
    const dir = fixture({
      "wrangler.jsonc": `{
  "$schema": "node_modules/wrangler/config-schema.json",
  // the worker
  "name": "api",
  "main": "src/index.ts", /* entry */
  "routes": [
    "a.example.com/*",
    { "pattern": "b.example.com/api/*", "zone_name": "example.com" },
    { "pattern": "shop.example.com", "custom_domain": true, "zone_id": "abc" },
  ],
  "vars": { "MODE": "prod", "CONF": { "retries": 3 } },
}`,
    });
    const config = await loadWorkerConfig(path.join(dir, "wrangler.jsonc"));
    assert.equal(config.name, "api");
    assert.deepEqual(config.routes, [
      { pattern: "a.example.com/*" },
      { pattern: "b.example.com/api/*", zoneName: "example.com" },
      { pattern: "shop.example.com", customDomain: true },
    ]);
    assert.deepEqual(config.vars, { MODE: "prod", CONF: { retries: 3 } });
    assert.equal(config.compatibilityDate, undefined);
    assert.deepEqual(config.warnings, []);
  });

  void test("wrangler.json", async () => {
    const dir = fixture({ "wrangler.json": '{ "name": "j", "main": "src/index.ts", "limits": { "cpu_ms": 300000 } }' });
    const config = await loadWorkerConfig(dir);
    assert.equal(config.name, "j");
    assert.deepEqual(config.limits, { cpuMs: 300000 });
    assert.equal(config.configPath, path.join(dir, "wrangler.json"));
  });

  void test("an unquoted TOML date is accepted as compatibility_date", async () => {
    const dir = fixture({ "wrangler.toml": `${TOML_BASE}compatibility_date = 2024-02-29\n` });
    assert.equal((await loadWorkerConfig(dir)).compatibilityDate, "2024-02-29");
  });

  void test("known keys of later features are accepted without warning", async () => {
    const dir = fixture({
      "wrangler.toml": `${TOML_BASE}account_id = "abc"
workers_dev = true
usage_model = "standard"
compatibility_flags = ["nodejs_compat"]
kv_namespaces = [{ binding = "KV", id = "1" }]
d1_databases = [{ binding = "DB", database_name = "d", database_id = "x" }]
migrations = [{ tag = "v1", new_classes = ["Counter"] }]
[durable_objects]
bindings = [{ name = "COUNTER", class_name = "Counter" }]
[triggers]
crons = ["* * * * *"]
[build]
command = "true"
[observability]
enabled = true
[placement]
mode = "smart"
`,
    });
    const config = await loadWorkerConfig(dir);
    assert.deepEqual(config.warnings, []);
    assert.deepEqual(config.raw.triggers, { crons: ["* * * * *"] });
  });
});

void describe("locating the config", () => {
  void test("a directory prefers wrangler.jsonc, then wrangler.json, then wrangler.toml, and warns", async () => {
    const dir = fixture({
      "wrangler.toml": 'name = "from-toml"\nmain = "src/index.ts"\n',
      "wrangler.json": '{ "name": "from-json", "main": "src/index.ts" }',
    });
    const config = await loadWorkerConfig(dir);
    assert.equal(config.name, "from-json");
    assert.deepEqual(config.warnings, [`Several config files in "${dir}": using wrangler.json, ignoring wrangler.toml`]);
  });

  void test("a bare entry file gets a name derived from the file name", async () => {
    const dir = fixture({ "My_Worker.ts": "export default {};\n" });
    const config = await loadWorkerConfig(path.join(dir, "My_Worker.ts"));
    assert.deepEqual(config, {
      name: "my-worker",
      main: path.join(dir, "My_Worker.ts"),
      vars: {},
      routes: [],
      limits: {},
      warnings: [],
      raw: {},
    });
  });

  void test("a directory without config falls back to src/index.ts and is named after the directory", async () => {
    const parent = fixture({});
    const dir = path.join(parent, "Edge Worker");
    fs.mkdirSync(path.join(dir, "src"), { recursive: true });
    fs.writeFileSync(path.join(dir, "src/index.js"), "export default {};");
    fs.writeFileSync(path.join(dir, "index.ts"), "export default {};");
    const config = await loadWorkerConfig(dir);
    assert.equal(config.name, "edge-worker");
    assert.equal(config.main, path.join(dir, "src/index.js"));
    assert.equal(config.configPath, undefined);
  });

  void test("a missing target is config_not_found naming the path", async () => {
    const missing = path.join(fixture({}), "nope");
    await rejects(missing, "config_not_found", `Worker path does not exist: "${missing}"`);
  });

  void test("a directory with neither config nor entry is config_not_found", async () => {
    const dir = tempDir();
    await rejects(dir, "config_not_found", new RegExp(`in directory: "${dir}"$`));
  });

  void test("an unsupported file type is refused", async () => {
    const dir = fixture({ "wrangler.yaml": "name: x" });
    await rejects(path.join(dir, "wrangler.yaml"), "config_invalid", /^Worker path must be a wrangler\.toml.*: received ".*wrangler\.yaml"$/);
  });
});

void describe("unknown keys", () => {
  void test("warn with file and key, and are ignored", async () => {
    const dir = fixture({
      "wrangler.toml": `${TOML_BASE}foo = 1
routes = [{ pattern = "a.com/*", zone = "a.com" }]
[limits]
cpu_ms = 10
memory_mb = 256
`,
    });
    const config = await loadWorkerConfig(dir);
    assert.deepEqual(config.warnings, [
      'wrangler.toml: unknown key "foo" is ignored',
      'wrangler.toml: unknown key "limits.memory_mb" is ignored',
      'wrangler.toml: unknown key "routes[0].zone" is ignored',
    ]);
    assert.deepEqual(config.routes, [{ pattern: "a.com/*" }]);
    assert.equal(config.raw.foo, 1);
  });
});

void describe("bad values name the file, the key and the value", () => {
  const tomlCases: [string, string, string][] = [
    ["name of the wrong type", 'name = 42\nmain = "src/index.ts"', "name must be a string: received 42"],
    ["missing name", 'main = "src/index.ts"', "name is required"],
    ["upper case name", 'name = "My_Worker"\nmain = "src/index.ts"', 'name must be 1 to 63 lower-case letters, digits or dashes, not starting or ending with a dash: received "My_Worker"'],
    ["name ending with a dash", 'name = "app-"\nmain = "src/index.ts"', 'name must be 1 to 63 lower-case letters, digits or dashes, not starting or ending with a dash: received "app-"'],
    ["name too long", `name = "${"a".repeat(64)}"\nmain = "src/index.ts"`, `name must be 1 to 63 lower-case letters, digits or dashes, not starting or ending with a dash: received "${"a".repeat(64)}"`],
    ["missing main", 'name = "app"', "main is required"],
    ["main of the wrong type", 'name = "app"\nmain = ["src/index.ts"]', 'main must be a string: received ["src/index.ts"]'],
    ["date with month 13", `${TOML_BASE}compatibility_date = "2024-13-01"`, 'compatibility_date must be a date in the form YYYY-MM-DD: received "2024-13-01"'],
    ["date that does not exist", `${TOML_BASE}compatibility_date = "2023-02-29"`, 'compatibility_date must be a date in the form YYYY-MM-DD: received "2023-02-29"'],
    ["date as a number", `${TOML_BASE}compatibility_date = 20240101`, "compatibility_date must be a date in the form YYYY-MM-DD: received 20240101"],
    ["date with a time", `${TOML_BASE}compatibility_date = 2024-01-01T00:00:00Z`, "compatibility_date must be a date in the form YYYY-MM-DD: received 2024-01-01T00:00:00.000Z"],
    ["negative cpu_ms", `${TOML_BASE}[limits]\ncpu_ms = -5`, "limits.cpu_ms must be a positive integer: received -5"],
    ["fractional cpu_ms", `${TOML_BASE}[limits]\ncpu_ms = 1.5`, "limits.cpu_ms must be a positive integer: received 1.5"],
    ["cpu_ms as a string", `${TOML_BASE}[limits]\ncpu_ms = "50"`, 'limits.cpu_ms must be a positive integer: received "50"'],
    ["cpu_ms too large", `${TOML_BASE}[limits]\ncpu_ms = 300001`, "limits.cpu_ms must be at most 300000: received 300001"],
    ["limits not a table", `${TOML_BASE}limits = 5`, "limits must be an object: received 5"],
    ["route of the wrong type", `${TOML_BASE}route = true`, "route must be a pattern string or an object with a pattern: received true"],
    ["routes not an array", `${TOML_BASE}routes = "a.com/*"`, 'routes must be an array: received "a.com/*"'],
    ["route number in routes", `${TOML_BASE}routes = ["a.com/*", 42]`, "routes[1] must be a pattern string or an object with a pattern: received 42"],
    ["empty route pattern", `${TOML_BASE}routes = [""]`, 'routes[0] must not be empty: received ""'],
    ["route pattern of the wrong type", `${TOML_BASE}routes = [{ pattern = 5 }]`, "routes[0].pattern must be a string: received 5"],
    ["route object without pattern", `${TOML_BASE}routes = [{ zone_name = "a.com" }]`, "routes[0].pattern is required"],
    ["custom_domain not a boolean", `${TOML_BASE}routes = [{ pattern = "a.com", custom_domain = "yes" }]`, 'routes[0].custom_domain must be a boolean: received "yes"'],
    ["route and routes together", `${TOML_BASE}route = "a.com/*"\nroutes = ["b.com/*"]`, 'route cannot be set together with routes: use one of them: received "a.com/*"'],
    ["vars not a table", `${TOML_BASE}vars = "x"`, 'vars must be an object: received "x"'],
    ["var holding a TOML datetime", `${TOML_BASE}[vars]\nWHEN = 2024-01-01T00:00:00Z`, "vars.WHEN must be a string or a JSON value: received 2024-01-01T00:00:00.000Z"],
    ["var name that is not an identifier", `${TOML_BASE}[vars]\n"my-var" = 1979-05-27`, 'vars["my-var"] must be a string or a JSON value: received 1979-05-27'],
    ["kv_namespaces not an array", `${TOML_BASE}kv_namespaces = "x"`, 'kv_namespaces must be an array: received "x"'],
    ["compatibility_flags with a number", `${TOML_BASE}compatibility_flags = [1]`, "compatibility_flags[0] must be a string: received 1"],
    ["workers_dev not a boolean", `${TOML_BASE}workers_dev = "yes"`, 'workers_dev must be a boolean: received "yes"'],
    ["triggers not a table", `${TOML_BASE}triggers = ["* * * * *"]`, 'triggers must be an object: received ["* * * * *"]'],
  ];
  for (const [title, toml, detail] of tomlCases) {
    void test(title, async () => {
      const dir = fixture({ "wrangler.toml": `${toml}\n` });
      await rejects(dir, "config_invalid", `wrangler.toml: ${detail}`);
    });
  }

  void test("every bad value is reported, one per line", async () => {
    const dir = fixture({ "wrangler.jsonc": '{ "name": 1, "main": "src/index.ts", "limits": { "cpu_ms": 0 } }' });
    await rejects(
      dir,
      "config_invalid",
      "wrangler.jsonc: name must be a string: received 1\nwrangler.jsonc: limits.cpu_ms must be a positive integer: received 0",
    );
  });

  void test("main pointing to a missing file", async () => {
    const dir = fixture({ "wrangler.jsonc": '{ "name": "app", "main": "src/missing.ts" }' });
    await rejects(dir, "config_invalid", 'wrangler.jsonc: main points to a file that does not exist: "src/missing.ts"');
  });

  void test("main pointing to a directory", async () => {
    const dir = fixture({ "wrangler.json": '{ "name": "app", "main": "src" }' });
    await rejects(dir, "config_invalid", 'wrangler.json: main points to a directory, not a file: "src"');
  });

  void test("a JSON config that is not an object", async () => {
    const dir = fixture({ "wrangler.json": "[1, 2]" });
    await rejects(dir, "config_invalid", "wrangler.json: the configuration must be an object: received [1,2]");
  });
});

void describe("syntax errors name the file and the line", () => {
  void test("TOML", async () => {
    const dir = fixture({ "wrangler.toml": 'name = "app"\nmain = "src/index.ts"\ncompatibility_date = \n' });
    await rejects(dir, "config_invalid", /^wrangler\.toml:3:\d+: TOML syntax error: \S/);
  });

  void test("JSONC", async () => {
    const dir = fixture({ "wrangler.jsonc": '{\n  // comment\n  "name": "app",\n  "main" "src/index.ts"\n}' });
    await rejects(dir, "config_invalid", "wrangler.jsonc:4:10: JSON syntax error: colon expected");
  });

  void test("JSON", async () => {
    const dir = fixture({ "wrangler.json": '{ "name": "app",\n  "main": }' });
    await rejects(dir, "config_invalid", /^wrangler\.json:2:11: JSON syntax error: value expected$/);
  });
});
