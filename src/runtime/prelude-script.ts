/**
 * @module The prelude script, read once per process and compiled with V8's
 * code cache: the first isolate produces the cache, every later one consumes
 * it. Only our own trusted code is cached this way; nothing is accepted from
 * tenants.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ivm from "isolated-vm";

const PRELUDE_PATH = fileURLToPath(new URL("../../dist/prelude.js", import.meta.url));

/** A compiled script with isolated-vm's code-cache result fields. */
export type CachedScript = ivm.Script & { cachedData?: ivm.ExternalCopy<ArrayBuffer>; cachedDataRejected?: boolean };

let source: string | undefined;
let cachedData: ivm.ExternalCopy<ArrayBuffer> | undefined;

function preludeSource(): string {
  if (source === undefined) {
    try {
      source = readFileSync(PRELUDE_PATH, "utf8");
    } catch (error) {
      throw new Error(`The prelude bundle is missing at ${PRELUDE_PATH}: run "npm run build"`, { cause: error });
    }
  }
  return source;
}

/** Compiles the prelude in `isolate`, using (or producing) the process-wide code cache. */
export async function compilePrelude(isolate: ivm.Isolate): Promise<ivm.Script> {
  const code = preludeSource();
  if (cachedData) {
    const script = (await isolate.compileScript(code, { filename: "verge:prelude", cachedData })) as CachedScript;
    if (!script.cachedDataRejected) return script;
  }
  const script = (await isolate.compileScript(code, { filename: "verge:prelude", produceCachedData: true })) as CachedScript;
  if (script.cachedData) cachedData = script.cachedData;
  return script;
}
