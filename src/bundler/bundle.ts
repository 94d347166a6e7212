/** @module bundleWorker: one worker entry and its imports, bundled by esbuild as wrangler does. */
import { stat } from "node:fs/promises";
import path from "node:path";
import { build, type Metafile } from "esbuild";
import { VergeError } from "../errors.js";
import { DefaultLimits } from "../limits.js";
import { WORKER_GLOBAL } from "../runtime/bridge/protocol.js";
import { nodeBuiltins } from "./builtins.js";
import { cloudflareModules } from "./cloudflare-modules.js";
import { bundleFailed, isBuildFailure, tooLarge } from "./failures.js";
import { moduleRuleLoaders, moduleRules, STUB_NAMESPACES } from "./module-rules.js";
import { projectRoot } from "./project.js";

/** A bundled worker: one classic script that leaves its module namespace in `globalThis.__verge_worker`. */
export interface WorkerBundle {
  code: string;
  /** UTF-8 size of `code`. */
  bytes: number;
  /** Absolute path of the entry file. */
  entry: string;
  /** Absolute paths of every file the bundle was built from. */
  watchFiles: string[];
}

/** Options of bundleWorker. */
export interface BundleOptions {
  /** Largest allowed bundle; DefaultLimits.BUNDLE_BYTES when unset. */
  maxBytes?: number;
  /** Minify the output (names are kept either way). Off by default. */
  minify?: boolean;
}

function watchFilesOf(metafile: Metafile, root: string): string[] {
  const stubs = STUB_NAMESPACES.map((namespace) => `${namespace}:`);
  return Object.keys(metafile.inputs)
    .filter((input) => !stubs.some((prefix) => input.startsWith(prefix)))
    .map((input) => path.resolve(root, input));
}

async function assertEntry(entry: string): Promise<void> {
  const info = await stat(entry).catch(() => undefined);
  if (!info?.isFile()) throw new VergeError("bundle_failed", `Worker entry does not exist: "${entry}"`);
}

/**
 * Bundle a worker entry (TypeScript, JSX, npm imports from its own node_modules,
 * .wasm/.bin/.txt/.html modules) into one IIFE script. Evaluated as a classic
 * script it sets `globalThis.__verge_worker` to the module namespace (`{}` for a
 * service-worker script without exports).
 *
 * @example
 * const bundle = await bundleWorker("/app/src/index.ts");
 * isolate.compileScriptSync(bundle.code).runSync(context);
 */
export async function bundleWorker(entry: string, options: BundleOptions = {}): Promise<WorkerBundle> {
  const absolute = path.resolve(entry);
  await assertEntry(absolute);
  const root = projectRoot(absolute);
  let result;
  try {
    result = await build({
      entryPoints: [absolute],
      absWorkingDir: root,
      bundle: true,
      format: "iife",
      globalName: WORKER_GLOBAL,
      footer: { js: `${WORKER_GLOBAL} ??= {};` },
      platform: "neutral",
      target: "es2022",
      conditions: ["workerd", "worker", "browser"],
      mainFields: ["browser", "module", "main"],
      loader: { ".js": "jsx", ".mjs": "jsx", ".cjs": "jsx", ...moduleRuleLoaders },
      define: { "process.env.NODE_ENV": JSON.stringify("production") },
      keepNames: true,
      minify: options.minify ?? false,
      plugins: [cloudflareModules(), nodeBuiltins(), moduleRules()],
      metafile: true,
      write: false,
      logLevel: "silent",
    });
  } catch (error) {
    if (isBuildFailure(error)) throw bundleFailed(error);
    throw new VergeError("bundle_failed", `Bundling failed: ${String(error)}`, { cause: error });
  }
  const output = result.outputFiles[0];
  const maxBytes = options.maxBytes ?? DefaultLimits.BUNDLE_BYTES;
  if (output.contents.byteLength > maxBytes) {
    throw tooLarge(output.contents.byteLength, maxBytes, path.relative(root, absolute));
  }
  return { code: output.text, bytes: output.contents.byteLength, entry: absolute, watchFiles: watchFilesOf(result.metafile, root) };
}
