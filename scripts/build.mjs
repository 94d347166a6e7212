// Builds Verge: the host code with tsc into dist/, and the in-isolate prelude
// with esbuild into dist/prelude.js (one script, compiled once per process).
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { build } from "esbuild";

const require = createRequire(import.meta.url);
mkdirSync("dist", { recursive: true });
execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.json"], { stdio: "inherit" });
const result = await build({
  entryPoints: ["src/runtime/prelude/index.ts"],
  bundle: true,
  format: "iife",
  platform: "neutral",
  target: "es2022",
  minify: true,
  legalComments: "none",
  mainFields: ["module", "main"],
  conditions: ["worker", "browser"],
  // whatwg-url's IDNA tables stay out of the isolate: see src/runtime/prelude/web/idna.ts.
  alias: { tr46: "./src/runtime/prelude/web/idna.ts" },
  metafile: true,
  outfile: "dist/prelude.js",
  logLevel: "warning",
});
writeFileSync("dist/prelude.meta.json", JSON.stringify(result.metafile));
