// Runs the whole suite: build (which typechecks the host code), typecheck of
// the prelude, lint, then every *.test.ts under src/, test/ and examples/ with
// Node's test runner and the flag isolated-vm needs. With file arguments, only
// those test files run.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) find(path, out);
    else if (name.endsWith(".test.ts")) out.push(path);
  }
  return out;
}

const only = process.argv.slice(2);
const run = (args, label) => {
  const result = spawnSync(process.execPath, args, { stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`npm test: ${label} failed`);
    if (result.error) console.error(`npm test: the test run did not finish: ${result.error.message}`);
process.exit(result.status ?? 1);
  }
};
run(["scripts/build.mjs"], "build");
// The dashboard's test drives Debian's chromium: installed here, once, when it is missing.
run(["scripts/ensure-chromium.mjs"], "the browser of the dashboard's test");
if (only.length === 0) {
  run(["node_modules/typescript/bin/tsc", "-p", "src/runtime/prelude/tsconfig.json", "--noEmit"], "typecheck of the prelude");
  run(["node_modules/eslint/bin/eslint.js", "."], "lint");
}
const files = only.length > 0 ? only : ["src", "test", "examples"].flatMap((d) => find(d)).sort();
const result = spawnSync(
  process.execPath,
  ["--no-node-snapshot", "--import", "tsx", "--test", "--test-concurrency=2", "--test-timeout=120000", "--test-force-exit", ...files],
  // --test-force-exit and the overall timeout: a handle left open (a reconnecting client) must not stall CI.
  { stdio: "inherit", env: { ...process.env, VERGE_TEST: "1" }, timeout: 15 * 60_000, killSignal: "SIGKILL" },
);
if (result.error) console.error(`npm test: the test run did not finish: ${result.error.message}`);
process.exit(result.status ?? 1);
