/** @module JSON responses made at the edge, with the error shape Verge uses for its own errors. */

/**
 * A JSON response that is never cached.
 * @example jsonResponse({ ok: true }, 200)
 */
export function jsonResponse(body: unknown, status: number, headers: HeadersInit = {}): Response {
  const response = Response.json(body, { status, headers });
  response.headers.set("cache-control", "no-store");
  return response;
}

/**
 * `{"error": {"code", "message"}}`, as the PoP's own platform errors.
 * @example errorResponse(502, "origin_unreachable", "The origin did not answer")
 */
export function errorResponse(status: number, code: string, message: string, headers: HeadersInit = {}): Response {
  return jsonResponse({ error: { code, message } }, status, headers);
}
