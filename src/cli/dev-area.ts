/**
 * @module Calls to a dev control area of a `verge dev` PoP (`/__verge/<area>/…`,
 * src/pop/admin.ts), shared by the commands that act on a dev network
 * (`verge kv --dev-url`, `verge purge --dev-url`).
 */
import { VergeError } from "../errors.js";

/** How long one call may take before the PoP counts as unreachable. */
const TIMEOUT_MS = 30_000;

/**
 * The PoP's answer to `method <base>/__verge/<path>`; null for a 404
 * `not_found` (an absent key). A refusal becomes a VergeError with the PoP's
 * message (`usage` for a 400); no answer, or one that is not a platform error,
 * is `unreachable`.
 */
export async function callDevArea(base: string, method: string, path: string, body?: Uint8Array | string): Promise<Response | null> {
  let response: Response;
  try {
    response = await fetch(`${base}/__verge/${path}`, { method, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    throw new VergeError("unreachable", `Cannot reach the dev PoP at ${base} (is "verge dev" running there?): ${reason(error)}`, { cause: error });
  }
  if (response.ok) return response;
  const text = await response.text();
  const problem = errorOf(text);
  if (!problem) throw new VergeError("unreachable", `${base} is not a PoP of "verge dev": ${method} ${path.split(/[/?]/)[0]} answered HTTP ${response.status} ${JSON.stringify(text.slice(0, 80))}`);
  if (problem.code === "not_found") return null;
  throw new VergeError(response.status === 400 ? "usage" : "internal_error", problem.message);
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
