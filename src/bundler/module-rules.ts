/**
 * @module Wrangler's default module rules: `.wasm` imports as a compiled
 * WebAssembly.Module (CompiledWasm), `.bin` as an ArrayBuffer (Data), `.txt`,
 * `.html` and `.sql` as a string (Text). Bytes are embedded as base64 by
 * esbuild's binary loader, whose decoder is plain ECMAScript (no atob, no Buffer).
 */
import path from "node:path";
import type { Loader, Plugin } from "esbuild";

/** esbuild loaders by extension for the module rules. */
export const moduleRuleLoaders: Record<string, Loader> = {
  ".txt": "text",
  ".html": "text",
  ".sql": "text",
  ".wasm": "binary",
  ".bin": "binary",
};

/** Namespaces of the generated stubs; their metafile inputs are not files to watch. */
export const STUB_NAMESPACES = ["verge-wasm", "verge-data"] as const;
const [WASM, DATA] = STUB_NAMESPACES;
const RAW = "vergeRawBytes";

/** Module bodies of the stubs, after `import bytes from "<file>"` (a Uint8Array from the binary loader). */
const STUB_BODIES: Record<(typeof STUB_NAMESPACES)[number], string> = {
  [WASM]: "export default new WebAssembly.Module(bytes);",
  [DATA]:
    "export default bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer" +
    " : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);",
};

/**
 * Turn `import mod from "./x.wasm"` (or `"./x.wasm?module"`) into a WebAssembly.Module
 * and `import data from "./x.bin"` into an ArrayBuffer.
 *
 * @example
 * await build({ plugins: [moduleRules()], loader: moduleRuleLoaders, ... });
 */
export function moduleRules(): Plugin {
  return {
    name: "verge-module-rules",
    setup(build) {
      build.onResolve({ filter: /\.(?:wasm|bin)(?:\?module)?$/ }, async (args) => {
        // The stub's own import of the bytes, or the probe below: esbuild's resolver and loader take it.
        if ((args.pluginData as Record<string, unknown> | undefined)?.[RAW] === true) return undefined;
        const specifier = args.path.replace(/\?module$/, "");
        const found = await build.resolve(specifier, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: { [RAW]: true },
        });
        if (found.errors.length > 0) return { errors: found.errors };
        return { path: found.path, namespace: specifier.endsWith(".wasm") ? WASM : DATA };
      });
      for (const namespace of STUB_NAMESPACES) {
        build.onLoad({ filter: /.*/, namespace }, (args) => ({
          contents: `import bytes from ${JSON.stringify(args.path)};\n${STUB_BODIES[namespace]}\n`,
          loader: "js",
          resolveDir: path.dirname(args.path),
          pluginData: { [RAW]: true },
        }));
      }
    },
  };
}
