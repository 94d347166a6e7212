/**
 * @module The network's control areas through the control API:
 * `/v1/areas/kv/…` and `/v1/areas/purge`, the same areas (and the same
 * handlers) a `verge dev` PoP serves unauthenticated at `/__verge/…`, here
 * for admin tokens only. The control plane holds its own KV replicas and a
 * cache that only publishes purges, on its substrate view; `verge kv --api`
 * and `verge purge --api` call them.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { bindingAdminAreas } from "../../bindings/registry.js";
import { PopCache } from "../../cache/index.js";
import { ADMIN_PREFIX, handleAdmin, type AdminHandler } from "../../pop/admin.js";
import type { SubstrateView } from "../../substrate/types.js";

export const AREAS_PREFIX = "/v1/areas/";

export interface NetworkAreas {
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
  close(): Promise<void>;
}

/** `dataDir`: where the control plane's KV replicas are kept (absent: in memory). */
export function networkAreas(view: SubstrateView, dataDir?: string): NetworkAreas {
  const closeHooks: (() => void | Promise<void>)[] = [];
  // A cache of one byte never stores a response: it exists to publish purges to the PoPs.
  const cache = new PopCache({ substrate: view, maxBytes: 1 });
  const areas: ReadonlyMap<string, AdminHandler> = bindingAdminAreas({
    pop: view.pop,
    substrate: view,
    dataDir,
    cache,
    onClose: (hook) => closeHooks.push(hook),
    worker: () => undefined,
    settings: {},
  });
  return {
    handle(req, res, url) {
      const inner = new URL(`${ADMIN_PREFIX}${url.pathname.slice(AREAS_PREFIX.length)}${url.search}`, url);
      return handleAdmin(areas, req, res, inner, []);
    },
    async close() {
      await Promise.all(closeHooks.splice(0).map(async (hook) => hook()));
      await cache.close();
    },
  };
}
