/**
 * @module The worker's checks of a request, without I/O: the document name,
 * the upgrade, and the shape of an error answer.
 */

/** Document names: 1 to 64 of these characters. */
const NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * `value` quoted for an error message, cut after 64 characters.
 * @example quote("x".repeat(70)) // '"xxx…x…"' (64 x, then …)
 */
export const quote = (value: string) => JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);

/**
 * The document named by a path segment (percent-decoded), or why it is not one.
 * @example docOf("notes") // { doc: "notes" }
 */
export function docOf(segment: string): { doc: string } | { error: string } {
  let name = segment;
  try {
    name = decodeURIComponent(segment);
  } catch {
    // Not valid percent-encoding: the raw segment is named below.
  }
  return NAME.test(name) ? { doc: name } : { error: `The document name ${quote(name)} is not 1 to 64 characters of A-Z a-z 0-9 _ -` };
}

/** Whether `request` asks for a WebSocket (`Upgrade: websocket`, in any case). */
export const isWebSocketUpgrade = (request: Request) => request.headers.get("upgrade")?.toLowerCase() === "websocket";

/** An error answer: `{"error": {"code", "message"}}`. */
export function failure(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error: { code, message } }, { status, headers: { "cache-control": "no-store", ...headers } });
}
