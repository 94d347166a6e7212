/**
 * @module One call of the control API: bearer token, JSON in and out, and
 * every way it can fail turned into a VergeError (`ControlApiError` for the
 * API's own refusals).
 */
import { errorBodyOf } from "../../errors.js";
import { ControlApiError, notAnApi, unreachable } from "./errors.js";

/** How long one call may take (an upload of a 10 MB bundle included). */
const TIMEOUT_MS = 60_000;

/** Where the API is and the token to show it. */
export interface Connection {
  /** The API's origin, e.g. http://127.0.0.1:8786 (no `/v1`). */
  base: string;
  token: string;
}

/** An answer of the API, its body read as JSON (undefined for a 204). */
export interface Answer<T> {
  status: number;
  body: T;
}

/**
 * `method /v1/<path>` with `body` as JSON: the 2xx answer; anything else throws.
 *
 * @example const { body } = await call<{ versions: VersionMeta[] }>(connection, "GET", "workers/hello/versions");
 */
export async function call<T>(connection: Connection, method: string, path: string, body?: unknown): Promise<Answer<T>> {
  const response = await send(connection, method, path, body, AbortSignal.timeout(TIMEOUT_MS));
  const text = await response.text();
  try {
    return { status: response.status, body: (text === "" ? undefined : JSON.parse(text)) as T };
  } catch {
    throw notAnApi(connection.base, `${method} /v1/${path}`, response.status, text);
  }
}

/** `GET /v1/<path>` answered as a stream of server-sent events, read until `signal` aborts. */
export function open(connection: Connection, path: string, signal: AbortSignal): Promise<Response> {
  return send(connection, "GET", path, undefined, signal, "text/event-stream");
}

async function send(connection: Connection, method: string, path: string, body: unknown, signal: AbortSignal, accept = "application/json"): Promise<Response> {
  const what = `${method} /v1/${path.split("?")[0]}`;
  const headers: Record<string, string> = { authorization: `Bearer ${connection.token}`, accept };
  if (body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(`${connection.base}/v1/${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
  } catch (error) {
    if (signal.aborted && !(signal.reason instanceof DOMException && signal.reason.name === "TimeoutError")) throw error;
    throw unreachable(connection.base, what, error);
  }
  if (response.ok && (response.status === 204 || (response.headers.get("content-type") ?? "").startsWith(accept))) return response;
  const text = await response.text();
  const problem = errorBodyOf(text);
  if (!problem) throw notAnApi(connection.base, what, response.status, text);
  throw new ControlApiError(response.status, problem.code, problem.message);
}

