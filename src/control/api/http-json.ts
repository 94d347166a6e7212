/**
 * @module JSON over node:http for the control API: bounded request bodies,
 * answers, and errors as `{"error": {"code", "message"}}` with the status of
 * their code.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ControlError, type ControlErrorCode } from "../errors.js";

/** A version upload's JSON: a 10 MB bundle, escaped, with its config. */
const MAX_BODY_BYTES = 24 * 1024 * 1024;

const STATUS: Record<ControlErrorCode, number> = {
  invalid_worker_name: 400,
  invalid_version_id: 400,
  invalid_split: 400,
  invalid_upload: 400,
  invalid_secret: 400,
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  version_not_found: 404,
  contended: 409,
  bundle_too_large: 413,
  corrupt_record: 500,
  secrets_key: 503,
};

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new ControlError("bundle_too_large", `The request body is ${declared} bytes: over the ${MAX_BODY_BYTES} byte limit`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new ControlError("bundle_too_large", `The request body is over the ${MAX_BODY_BYTES} byte limit`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ControlError("bad_request", `The request body is not JSON: ${(error as Error).message}`);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (status === 204) {
    res.writeHead(204).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), "cache-control": "no-store" });
  res.end(text);
}

/** Answers a thrown error: a control error with its code's status, anything else as a 500 that hides its details. */
export function sendError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error instanceof ControlError) return sendJson(res, STATUS[error.code] ?? 400, { error: { code: error.code, message: error.message } });
  sendJson(res, 500, { error: { code: "internal_error", message: "Internal error" } });
}
