// @module `npm run bench`: builds Verge, then runs the harness (bench/main.ts) with the flag isolated-vm needs. Arguments pass through: `npm run bench -- --quick`.
import { spawnSync } from "node:child_process";

const build = spawnSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
if (build.status !== 0) {
  process.stderr.write("bench: the build failed; fix it before benchmarking\n");
  process.exit(build.status ?? 1);
}
const result = spawnSync(process.execPath, ["--no-node-snapshot", "--import", "tsx", "bench/main.ts", ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(result.status ?? 1);
