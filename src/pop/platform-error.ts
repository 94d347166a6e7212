/**
 * @module Platform error responses: `{"error": {"code", "message"}}` with the
 * code's status, never mistaken for a worker's own response.
 */
import type { ServerResponse } from "node:http";
import { PlatformErrorStatus, platformErrorBody, type PlatformErrorCode } from "../errors.js";

export function sendPlatformError(res: ServerResponse, code: PlatformErrorCode, message: string, extraHeaders: [string, string][] = []): void {
  if (res.headersSent) {
    res.destroy(new Error(message));
    return;
  }
  const body = platformErrorBody(code, message);
  const headers: string[] = ["content-type", "application/json", "content-length", String(Buffer.byteLength(body)), "x-verge-error", code];
  for (const [name, value] of extraHeaders) headers.push(name, value);
  res.writeHead(PlatformErrorStatus[code], headers);
  res.end(body);
}
