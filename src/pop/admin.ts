/**
 * @module The dev control surface of a PoP: `/__verge/<area>/…` on a PoP of
 * `verge dev`, for commands such as `verge kv --dev-url` and `verge purge
 * --dev-url`. Areas are registered by the PoP's services (a binding's
 * `admin()`, the cache). Never served outside dev mode: it has no auth.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendPlatformError } from "./platform-error.js";

export const ADMIN_PREFIX = "/__verge/";
/** The largest admin request body (a KV value is at most 25 MiB). */
const MAX_ADMIN_BODY = 26 * 1024 * 1024;

export interface AdminRequest {
  method: string;
  /** Path segments after the area, decoded: `/__verge/kv/ns1/keys/a%2Fb` → ["ns1", "keys", "a/b"]. */
  path: string[];
  query: URLSearchParams;
  body: Uint8Array;
}

/** A JSON answer (`json`) or raw bytes (`bytes`, with a content type). */
export type AdminReply = { status: number; json: unknown } | { status: number; bytes: Uint8Array; contentType: string; headers?: Record<string, string> };

export type AdminHandler = (request: AdminRequest) => AdminReply | Promise<AdminReply>;

/** Thrown by handlers for a bad request: answered 400 with `bad_request` and the message. */
export class AdminInputError extends Error {}

/** Answers one admin request: 404 for an unknown area, 400 for bad input, the handler's reply otherwise. */
export async function handleAdmin(areas: ReadonlyMap<string, AdminHandler>, req: IncomingMessage, res: ServerResponse, url: URL, extra: [string, string][]): Promise<void> {
  const [area = "", ...rest] = url.pathname.slice(ADMIN_PREFIX.length).split("/");
  const handler = areas.get(area);
  if (!handler) return sendPlatformError(res, "no_route", `No dev control area "${area}" (known: ${[...areas.keys()].join(", ") || "none"})`, extra);
  let path: string[];
  try {
    path = rest.map((segment) => decodeURIComponent(segment));
  } catch {
    return sendPlatformError(res, "bad_request", `Malformed percent-encoding in ${JSON.stringify(url.pathname)}`, extra);
  }
  const body = await readBody(req);
  if (body === null) return sendPlatformError(res, "bad_request", `The request body is over ${MAX_ADMIN_BODY} bytes`, extra);
  let reply: AdminReply;
  try {
    reply = await handler({ method: req.method ?? "GET", path, query: url.searchParams, body });
  } catch (error) {
    if (error instanceof AdminInputError || error instanceof TypeError || error instanceof RangeError) return sendPlatformError(res, "bad_request", error.message, extra);
    throw error;
  }
  if ("json" in reply) {
    const text = JSON.stringify(reply.json);
    res.writeHead(reply.status, [...extra.flat(), "content-type", "application/json", "content-length", String(Buffer.byteLength(text))]);
    res.end(text);
    return;
  }
  const headers = [...extra.flat(), "content-type", reply.contentType, "content-length", String(reply.bytes.byteLength)];
  for (const [name, value] of Object.entries(reply.headers ?? {})) headers.push(name, value);
  res.writeHead(reply.status, headers);
  res.end(reply.bytes);
}

async function readBody(req: IncomingMessage): Promise<Uint8Array | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_ADMIN_BODY) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
