/**
 * @module What `verge deploy` uploads with a bundle: the version config made
 * from a real wrangler.toml (vars, CPU limit, bindings, routes, crons,
 * compatibility date), and a bad triggers.crons named with its file.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { versionConfigOf } from "../../src/cli/commands/deploy.js";
import { loadWorkerConfig } from "../../src/config/index.js";

const DIR = fileURLToPath(new URL("../fixtures/control-config", import.meta.url));

test("a version's config carries the wrangler config's vars (JSON values as JSON text), limit, bindings, routes, crons and date", async (t) => {
  const warnings = t.mock.method(console, "warn", () => {});
  const config = versionConfigOf(await loadWorkerConfig(DIR));
  assert.deepEqual(config, {
    vars: { GREETING: "hello", FEATURES: '{"beta":true}' },
    cpuMs: 120,
    bindings: [{ name: "FLAGS", kind: "kv", config: { id: "flags" } }],
    routes: ["example.com/api/*", "shop.example.com/*"],
    crons: ["*/5 * * * *"],
    compatibilityDate: "2026-11-01",
  });
  assert.match(String(warnings.mock.calls[0]?.arguments[0]), /wrangler\.toml: vars\.FEATURES is not a string; it is deployed as its JSON text/);
});

test("a triggers.crons that is not a list is refused, naming the file and the value", async () => {
  const config = await loadWorkerConfig(`${DIR}/bad-crons.toml`);
  assert.throws(() => versionConfigOf(config), /bad-crons\.toml: triggers\.crons must be an array of cron expressions: received "\*\/5 \* \* \* \*"/);
});
