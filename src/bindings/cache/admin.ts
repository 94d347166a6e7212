/**
 * @module The dev control area "purge" (`POST /__verge/purge` on a PoP of
 * `verge dev`, body `{"tags": […]}`, `{"urls": […]}`, `{"prefixes": […]}` or
 * `{"everything": true}`, optionally `"worker"`): purged here at once,
 * broadcast to every PoP and logged; answered once the log has it.
 */
import { parsePurge, type PopCache } from "../../cache/index.js";
import { AdminInputError, type AdminHandler } from "../../pop/admin.js";

export function purgeArea(cache: PopCache | undefined): AdminHandler {
  return async ({ method, path, body }) => {
    if (method !== "POST" || path.length > 0) throw new AdminInputError(`purge: use POST /__verge/purge: received ${method} /__verge/purge/${path.join("/")}`);
    if (!cache) throw new AdminInputError("purge: this PoP has no cache");
    let raw: unknown;
    try {
      raw = JSON.parse(new TextDecoder().decode(body));
    } catch {
      throw new AdminInputError(`purge: the body must be JSON: received ${JSON.stringify(new TextDecoder().decode(body.subarray(0, 80)))}`);
    }
    const purge = parsePurge(raw);
    const started = performance.now();
    await cache.purge(purge);
    return { status: 200, json: { ok: true, purge, durableMs: Math.round(performance.now() - started) } };
  };
}
