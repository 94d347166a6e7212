/**
 * @module The chat-room worker: `GET /` is the chat page, and
 * `GET /rooms/<name>/websocket` (a WebSocket upgrade) joins the room
 * `name`, forwarded to that room's ChatRoom Durable Object, the same one
 * from every PoP.
 */
import type { Env } from "./env.js";
import page from "./page.html";
import { show } from "./protocol.js";
import { failure, isWebSocketUpgrade, roomOf } from "./routes.js";

export { ChatRoom } from "./room.js";

const SOCKET_PATH = /^\/rooms\/([^/]*)\/websocket$/;

async function route(request: Request, env: Env): Promise<Response> {
  const { pathname } = new URL(request.url);
  const socket = SOCKET_PATH.exec(pathname);
  if (pathname !== "/" && !socket) return failure(404, "not_found", `Nothing at ${show(pathname)}: the chat is at / and a room's socket at /rooms/<name>/websocket`);
  if (request.method !== "GET") return failure(405, "method_not_allowed", `The method ${request.method} is not allowed here: use GET`, { allow: "GET" });
  if (!socket) return new Response(page, { headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
  const found = roomOf(socket[1]);
  if ("error" in found) return failure(400, "bad_room", found.error);
  if (!isWebSocketUpgrade(request)) {
    const upgrade = request.headers.get("upgrade");
    const received = upgrade === null ? "no Upgrade header" : `Upgrade: ${show(upgrade)}`;
    return failure(426, "upgrade_required", `${pathname} is a WebSocket: send Upgrade: websocket, received ${received}`, { upgrade: "websocket" });
  }
  // The room's object, the same one from every PoP; it answers the upgrade with a 101.
  return env.ROOMS.get(env.ROOMS.idFromName(found.room)).fetch(request);
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    try {
      return await route(request, env);
    } catch (caught) {
      console.error(caught instanceof Error ? (caught.stack ?? caught.message) : String(caught));
      return failure(500, "internal", "The chat room failed");
    }
  },
};
