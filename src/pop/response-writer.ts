/**
 * @module Writes a worker's response to node:http, streaming an isolate body
 * chunk by chunk and waiting for the socket to drain between chunks.
 */
import type { ServerResponse } from "node:http";
import type { InvocationResponse } from "../runtime/index.js";

const NULL_BODY = new Set([101, 204, 205, 304]);
const DROPPED = new Set(["connection", "keep-alive", "transfer-encoding", "x-verge-pop", "x-verge-ray"]);

export async function writeResponse(res: ServerResponse, response: InvocationResponse, extra: [string, string][], isHead: boolean): Promise<void> {
  const headers: string[] = [];
  for (const [name, value] of response.headers) if (!DROPPED.has(name)) headers.push(name, value);
  for (const [name, value] of extra) headers.push(name, value);
  const body = response.body;
  const noBody = isHead || NULL_BODY.has(response.status);
  if (body === null || typeof body === "string" || body instanceof Uint8Array) {
    const hasLength = response.headers.some(([name]) => name === "content-length");
    if (!hasLength && !NULL_BODY.has(response.status)) headers.push("content-length", String(body === null ? 0 : typeof body === "string" ? Buffer.byteLength(body) : body.byteLength));
    res.writeHead(response.status, response.statusText || undefined, headers);
    res.end(noBody || body === null ? undefined : body);
    return;
  }
  res.writeHead(response.status, response.statusText || undefined, headers);
  if (noBody) {
    (body as { cancel?: () => void }).cancel?.();
    res.end();
    return;
  }
  for await (const chunk of body) {
    if (res.destroyed) break;
    if (!res.write(chunk)) await drainOrClose(res);
  }
  if (res.destroyed) (body as { cancel?: () => void }).cancel?.();
  else res.end();
}

/** Waits for the socket to drain (or close), leaving no listener behind. */
function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}
