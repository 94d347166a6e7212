/**
 * @module A node:http request as the runtime takes it: header pairs, the URL
 * the worker sees, and the body as bytes (small, known length) or a stream.
 */
import type { IncomingMessage } from "node:http";
import type { InvokeRequest } from "../runtime/index.js";

/** Bodies up to this size with a Content-Length are read first and cross the bridge as one copy. */
const INLINE_BODY_BYTES = 1024 * 1024;

/** Request headers that the PoP consumes and the worker does not see. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer"]);

/** The request's headers as a flat `[name, value, …]` list, names lower-case, hop-by-hop ones left out. */
export function flatHeaders(req: IncomingMessage, drop?: ReadonlySet<string>): string[] {
  const raw = req.rawHeaders;
  const flat: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    // A WebSocket handshake keeps its Upgrade header: the worker checks it (node:http sets `upgrade` on one).
    if ((HOP_BY_HOP.has(name) && !(name === "upgrade" && (req as { upgrade?: boolean }).upgrade)) || drop?.has(name)) continue;
    flat.push(name, raw[i + 1]);
  }
  return flat;
}

/** The URL a worker sees; an absolute-form target (`GET http://host/path`) is taken as is. */
export function requestUrl(req: IncomingMessage): string {
  const target = req.url ?? "/";
  if (!target.startsWith("/")) return target;
  const host = req.headers.host ?? "localhost";
  const proto = (req.headers["x-forwarded-proto"] as string | undefined) === "https" ? "https" : "http";
  return `${proto}://${host}${target}`;
}

/** Reads a body of known, small length into one buffer (events, not an async iterator: this is the hot path). */
function readSmallBody(req: IncomingMessage, length: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const body = new Uint8Array(length);
    let offset = 0;
    req.on("data", (chunk: Buffer) => {
      if (offset + chunk.length > length) {
        req.destroy();
        reject(new Error("The request body is longer than its Content-Length"));
        return;
      }
      body.set(chunk, offset);
      offset += chunk.length;
    });
    req.once("end", () => resolve(offset === length ? body : body.subarray(0, offset)));
    req.once("error", reject);
    req.once("close", () => {
      if (!req.complete) reject(new Error("The client closed the connection before sending the whole body"));
    });
  });
}

/** The body to hand to the runtime; synchronous unless a small body must be read first. */
export function readRequestBody(req: IncomingMessage): Pick<InvokeRequest, "body" | "cancelBody"> | Promise<Pick<InvokeRequest, "body" | "cancelBody">> {
  if (req.method === "GET" || req.method === "HEAD") return { body: null };
  const length = req.headers["content-length"] === undefined ? NaN : Number(req.headers["content-length"]);
  if (length === 0) return { body: null };
  if (Number.isInteger(length) && length <= INLINE_BODY_BYTES) return readSmallBody(req, length).then((body) => ({ body }));
  if (req.headers["content-length"] === undefined && req.headers["transfer-encoding"] === undefined) return { body: null };
  // Unread rest of an upload: let node:http discard it, so the response on this connection is not cut short.
  return { body: req as AsyncIterable<Uint8Array>, cancelBody: () => req.resume() };
}
