/**
 * @module The worker's checks of a request, without I/O: the room name, the
 * upgrade, and the shape of an error answer.
 */
import { show } from "./protocol.js";

/** Room names: 1 to 64 of these characters. */
const ROOM = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The room named by a path segment (percent-decoded), or why it is not one.
 * @example roomOf("lobby") // { room: "lobby" }
 */
export function roomOf(segment: string): { room: string } | { error: string } {
  let room = segment;
  try {
    room = decodeURIComponent(segment);
  } catch {
    // Not valid percent-encoding: the raw segment is named below.
  }
  if (!ROOM.test(room)) return { error: `The room name ${show(room)} is not 1 to 64 characters of A-Z a-z 0-9 _ -` };
  return { room };
}

/** Whether `request` asks for a WebSocket (`Upgrade: websocket`, in any case). */
export const isWebSocketUpgrade = (request: Request) => request.headers.get("upgrade")?.toLowerCase() === "websocket";

/** An error answer: `{"error": {"code", "message"}}`. */
export function failure(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error: { code, message } }, { status, headers: { "cache-control": "no-store", ...headers } });
}
