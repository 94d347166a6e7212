/** @module esbuild plugin that refuses Node.js built-in modules (`node:fs`, `fs`, …), as Workers without nodejs_compat. */
import { builtinModules } from "node:module";
import type { Plugin } from "esbuild";

/** Plugin name, so that error formatting can recognise its messages. */
export const NODE_BUILTINS_PLUGIN = "verge-node-builtins";

const PROBE = "vergeBuiltinProbe";
const escape = (name: string) => name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
const BUILTIN_FILTER = new RegExp(`^(?:node:.*|${builtinModules.map(escape).join("|")})$`);

/** The message for a refused import, without the importing file. */
export function builtinRefusal(specifier: string): string {
  return `${JSON.stringify(specifier)} cannot be imported: Node.js built-in modules are not available in Verge workers`;
}

/**
 * Refuse `node:*` always, and a bare built-in name (`fs`, `buffer`) unless the
 * worker has an npm package of that name (such as the `buffer` polyfill).
 *
 * @example
 * await build({ plugins: [nodeBuiltins()], ... });
 */
export function nodeBuiltins(): Plugin {
  return {
    name: NODE_BUILTINS_PLUGIN,
    setup(build) {
      build.onResolve({ filter: BUILTIN_FILTER }, async (args) => {
        if ((args.pluginData as Record<string, unknown> | undefined)?.[PROBE] === true) return undefined;
        if (!args.path.startsWith("node:")) {
          const found = await build.resolve(args.path, {
            kind: args.kind,
            importer: args.importer,
            resolveDir: args.resolveDir,
            pluginData: { [PROBE]: true },
          });
          if (found.errors.length === 0) return undefined;
        }
        return { errors: [{ text: builtinRefusal(args.path) }] };
      });
    },
  };
}
