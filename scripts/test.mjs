// Runs the whole suite with Node's test runner: builds first, then every
// *.test.ts under src/, test/ and examples/, with the flag isolated-vm needs.
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
const build = spawnSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);
const files = only.length > 0 ? only : ["src", "test", "examples"].flatMap((d) => find(d)).sort();
const result = spawnSync(
  process.execPath,
  ["--no-node-snapshot", "--import", "tsx", "--test", "--test-concurrency=2", "--test-timeout=120000", ...files],
  { stdio: "inherit", env: { ...process.env, VERGE_TEST: "1" } },
);
process.exit(result.status ?? 1);
