/**
 * @module Calls to a network's control areas (src/pop/admin.ts): those of a
 * `verge dev` PoP (`/__verge/<area>/…`, no authentication), or the same
 * areas through the control API of `verge start` (`/v1/areas/<area>/…`, an
 * admin token). Shared by `verge kv` and `verge purge`.
 */
import { errorBodyOf, fetchFailureOf, VergeError } from "../errors.js";

/** Where area calls go, and how to name it in an error. */
export interface AreaEndpoint {
  /** The URL an area's path is appended to. */
  base: string;
  headers: Record<string, string>;
  /** "the dev PoP at …": who did not answer. */
  who: string;
  /** "a PoP of "verge dev"": what answered wrongly is not. */
  kind: string;
}

export function devEndpoint(devUrl: string): AreaEndpoint {
  const origin = new URL(devUrl).origin;
  return { base: `${origin}/__verge/`, headers: {}, who: `the dev PoP at ${origin} (is "verge dev" running there?)`, kind: `a PoP of "verge dev"` };
}

export function apiEndpoint(api: string, token: string): AreaEndpoint {
  const origin = new URL(api).origin;
  return { base: `${origin}/v1/areas/`, headers: { authorization: `Bearer ${token}` }, who: `the control API at ${origin} (is "verge start" running there?)`, kind: `the control API of "verge start"` };
}

/** How long one call may take before the PoP counts as unreachable. */
const TIMEOUT_MS = 30_000;

/**
 * The answer to `method <endpoint><path>`; null for a 404 `not_found` (an
 * absent key). A refusal becomes a VergeError with the server's message
 * (`usage` for a 400, 401 or 403); no answer, or one that is not a platform
 * error, is `unreachable`.
 */
export async function callArea(endpoint: AreaEndpoint, method: string, path: string, body?: Uint8Array | string): Promise<Response | null> {
  let response: Response;
  try {
    response = await fetch(`${endpoint.base}${path}`, { method, body, headers: endpoint.headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    throw new VergeError("unreachable", `Cannot reach ${endpoint.who}: ${fetchFailureOf(error, `no answer within ${TIMEOUT_MS / 1000} s`)}`, { cause: error });
  }
  if (response.ok) return response;
  const text = await response.text();
  const problem = errorBodyOf(text);
  if (!problem) throw new VergeError("unreachable", `${new URL(endpoint.base).origin} is not ${endpoint.kind}: ${method} ${path.split(/[/?]/)[0]} answered HTTP ${response.status} ${JSON.stringify(text.slice(0, 80))}`);
  if (problem.code === "not_found" && response.status === 404) return null;
  throw new VergeError([400, 401, 403].includes(response.status) ? "usage" : "internal_error", problem.message);
}

