/**
 * @module Calls to a network's control areas (src/pop/admin.ts): those of a
 * `verge dev` PoP (`/__verge/<area>/…`, no authentication), or the same
 * areas through the control API of `verge start` (`/v1/areas/<area>/…`, an
 * admin token). Shared by `verge kv` and `verge purge`.
 */
import { VergeError } from "../errors.js";

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
    throw new VergeError("unreachable", `Cannot reach ${endpoint.who}: ${reason(error)}`, { cause: error });
  }
  if (response.ok) return response;
  const text = await response.text();
  const problem = errorOf(text);
  if (!problem) throw new VergeError("unreachable", `${new URL(endpoint.base).origin} is not ${endpoint.kind}: ${method} ${path.split(/[/?]/)[0]} answered HTTP ${response.status} ${JSON.stringify(text.slice(0, 80))}`);
  if (problem.code === "not_found" && response.status === 404) return null;
  throw new VergeError([400, 401, 403].includes(response.status) ? "usage" : "internal_error", problem.message);
}

/** The `{ error: { code, message } }` of a platform error body, or null. */
function errorOf(text: string): { code: string; message: string } | null {
  try {
    const { error } = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    return typeof error?.code === "string" && typeof error.message === "string" ? { code: error.code, message: error.message } : null;
  } catch {
    return null;
  }
}

/** Why a fetch failed, in a few words: the system error code, or the timeout. */
function reason(error: unknown): string {
  if (error instanceof DOMException && error.name === "TimeoutError") return `no answer within ${TIMEOUT_MS / 1000} s`;
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
