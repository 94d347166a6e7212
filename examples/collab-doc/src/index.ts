/**
 * @module The collab-doc worker: `GET /docs/<name>/websocket` (a WebSocket
 * upgrade) opens the document `name` for editing, forwarded to its
 * CollabDoc Durable Object, the same one from every PoP; `GET /docs/<name>`
 * shows its text and who edits it from where.
 */
import { POP_HEADER } from "./document.js";
import type { EdgeRequest, Env } from "./env.js";
import { docOf, failure, isWebSocketUpgrade, quote } from "./routes.js";

export { CollabDoc } from "./document.js";

const DOC_PATH = /^\/docs\/([^/]*)(\/websocket)?$/;

async function route(request: EdgeRequest, env: Env): Promise<Response> {
  const { pathname } = new URL(request.url);
  const match = DOC_PATH.exec(pathname);
  if (!match) return failure(404, "not_found", `Nothing at ${quote(pathname)}: a document is at /docs/<name>, its socket at /docs/<name>/websocket`);
  if (request.method !== "GET") return failure(405, "method_not_allowed", `The method ${request.method} is not allowed here: use GET`, { allow: "GET" });
  const found = docOf(match[1]);
  if ("error" in found) return failure(400, "bad_document", found.error);
  const pop = request.cf?.colo ?? null;
  // The document's object, the same one from every PoP.
  const doc = env.DOCS.get(env.DOCS.idFromName(found.doc));
  if (!match[2]) return Response.json({ doc: found.doc, pop, ...(await doc.read()) }, { headers: { "cache-control": "no-store" } });
  if (!isWebSocketUpgrade(request)) {
    const upgrade = request.headers.get("upgrade");
    const received = upgrade === null ? "no Upgrade header" : `Upgrade: ${quote(upgrade)}`;
    return failure(426, "upgrade_required", `${pathname} is a WebSocket: send Upgrade: websocket, received ${received}`, { upgrade: "websocket" });
  }
  // The object tags the socket with the PoP the editor connected to.
  const headers = new Headers(request.headers);
  headers.set(POP_HEADER, pop ?? "unknown");
  return doc.fetch(new Request(request.url, { headers }));
}

export default {
  async fetch(request: EdgeRequest, env: Env): Promise<Response> {
    try {
      return await route(request, env);
    } catch (caught) {
      console.error(caught instanceof Error ? (caught.stack ?? caught.message) : String(caught));
      return failure(500, "internal", "The document failed");
    }
  },
};
