/**
 * @module Writes a worker's response to node:http, streaming an isolate body
 * chunk by chunk and waiting for the socket to drain between chunks.
 */
import type { ServerResponse } from "node:http";
import type { InvocationResponse } from "../runtime/index.js";

const NULL_BODY = new Set([101, 204, 205, 304]);
const DROPPED = new Set(["connection", "keep-alive", "transfer-encoding", "x-verge-pop", "x-verge-ray"]);

/** Writes `response`; returns a promise only when the body streams (inline bodies are written at once). */
export function writeResponse(res: ServerResponse, response: InvocationResponse, extra: [string, string][], isHead: boolean): Promise<void> | undefined {
  const headers: string[] = [];
  const body = response.body;
  const inline = body === null || typeof body === "string" || body instanceof Uint8Array;
  let declaredLength = false;
  const flat = response.headers;
  for (let i = 0; i < flat.length; i += 2) {
    const name = flat[i];
    const value = flat[i + 1];
    if (DROPPED.has(name)) continue;
    // An inline body's length is known: the worker's own Content-Length could desync the connection.
    if (name === "content-length") {
      if (inline && !isHead) continue;
      declaredLength = true;
    }
    headers.push(name, value);
  }
  for (const [name, value] of extra) headers.push(name, value);
  const noBody = isHead || NULL_BODY.has(response.status);
  if (inline) {
    if (!declaredLength && !NULL_BODY.has(response.status)) headers.push("content-length", String(body === null ? 0 : typeof body === "string" ? Buffer.byteLength(body) : body.byteLength));
    res.writeHead(response.status, response.statusText || undefined, headers);
    // A Buffer view (no copy): node:http sends a Uint8Array on a slower path than a Buffer.
    res.end(noBody || body === null ? undefined : typeof body === "string" ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength));
    return;
  }
  res.writeHead(response.status, response.statusText || undefined, headers);
  if (noBody) {
    (body as { cancel?: () => void }).cancel?.();
    res.end();
    return;
  }
  // A streamed body with a declared length must match it: node:http fails the response otherwise.
  if (declaredLength) res.strictContentLength = true;
  return streamBody(res, body);
}

async function streamBody(res: ServerResponse, body: AsyncIterable<Uint8Array>): Promise<void> {
  // Each read is raced with the client leaving: a worker stream that never yields again must not hold the request open.
  const iterator = body[Symbol.asyncIterator]();
  while (!res.destroyed) {
    const next = await nextOrClose(res, iterator.next());
    if (next === null || next.done) break;
    const chunk = next.value;
    if (!res.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))) await drainOrClose(res);
  }
  if (res.destroyed) (body as { cancel?: () => void }).cancel?.();
  else res.end();
}

/**
 * The next chunk, or null when the response closes first; no listener is left
 * behind (racing a long-lived "closed" promise would retain every chunk).
 */
function nextOrClose<T>(res: ServerResponse, pending: Promise<IteratorResult<T>>): Promise<IteratorResult<T> | null> {
  return new Promise((resolve, reject) => {
    const onClose = () => resolve(null);
    res.once("close", onClose);
    pending.then(
      (result) => {
        res.off("close", onClose);
        resolve(result);
      },
      (error: unknown) => {
        res.off("close", onClose);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
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
