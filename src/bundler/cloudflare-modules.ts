/**
 * @module esbuild plugin for `cloudflare:workers`, the module through which
 * Workers code imports `DurableObject`, `WorkerEntrypoint` and `RpcTarget`.
 * The classes are plain base classes (as in workerd: they only keep `ctx` and
 * `env`), so the module is generated here instead of reaching into the prelude.
 */
import type { Plugin } from "esbuild";

const NAMESPACE = "verge-cloudflare";

const WORKERS_MODULE = `
export class DurableObject {
  constructor(ctx, env) { this.ctx = ctx; this.env = env; }
}
export class WorkerEntrypoint {
  constructor(ctx, env) { this.ctx = ctx; this.env = env; }
}
export class RpcTarget {}
`;

/** Resolves `cloudflare:workers`; any other `cloudflare:` module is refused, naming it. */
export function cloudflareModules(): Plugin {
  return {
    name: "verge-cloudflare-modules",
    setup(build) {
      build.onResolve({ filter: /^cloudflare:/ }, (args) => {
        if (args.path === "cloudflare:workers") return { path: args.path, namespace: NAMESPACE };
        return { errors: [{ text: `${JSON.stringify(args.path)} cannot be imported: Verge provides only "cloudflare:workers"` }] };
      });
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, () => ({ contents: WORKERS_MODULE, loader: "js" }));
    },
  };
}
