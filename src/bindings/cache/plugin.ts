/**
 * @module The Cache API as a binding plugin: no config (`caches` is a global),
 * the ops over the PoP's cache, and the dev control area that purges it.
 */
import type { BindingPlugin } from "../types.js";
import { purgeArea } from "./admin.js";
import { cacheOps } from "./ops.js";

export const cachePlugin: BindingPlugin = {
  kind: "cache",
  fromConfig: () => [],
  ops: (services) => cacheOps(services.cache),
  admin: (services) => ({ purge: purgeArea(services.cache) }),
};
