/** @module What a failed JWT verification tells the client, by jose error code. */

/** Fixed descriptions (RFC 6750 `error_description`: no quotes or backslashes). */
const DESCRIPTIONS: Record<string, string> = {
  ERR_JWT_EXPIRED: "The token has expired",
  ERR_JOSE_ALG_NOT_ALLOWED: "The token algorithm is not allowed",
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: "The token signature is invalid",
  ERR_JWKS_NO_MATCHING_KEY: "No signing key matches the token",
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: "More than one signing key matches the token",
  ERR_JWT_CLAIM_VALIDATION_FAILED: "A token claim is invalid",
  ERR_JWS_INVALID: "The token is malformed",
  ERR_JWT_INVALID: "The token is malformed",
  ERR_JOSE_NOT_SUPPORTED: "The token uses an unsupported algorithm or key",
};

/** Codes that mean the key set could not be had: the edge's problem, not the client's. */
const UNAVAILABLE = new Set(["ERR_JWKS_TIMEOUT", "ERR_JWKS_INVALID", "ERR_JOSE_GENERIC"]);

/** How a verification error is answered. */
export type TokenFailure =
  | { kind: "invalid"; description: string }
  | { kind: "unavailable"; message: string };

/**
 * Classify an error thrown by jose's jwtVerify. Errors without a jose code
 * (a network failure fetching the JWKS, a missing crypto.subtle) are `unavailable`.
 * @example classifyTokenError(new errors.JWTExpired("...", {})) // { kind: "invalid", description: "The token has expired" }
 */
export function classifyTokenError(error: unknown): TokenFailure {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  if (typeof code === "string" && !UNAVAILABLE.has(code)) {
    const claim = (error as { claim?: unknown }).claim;
    if (code === "ERR_JWT_CLAIM_VALIDATION_FAILED" && typeof claim === "string" && /^[a-z]+$/.test(claim)) {
      return { kind: "invalid", description: `The token ${claim} claim is invalid` };
    }
    return { kind: "invalid", description: DESCRIPTIONS[code] ?? "The token is invalid" };
  }
  return { kind: "unavailable", message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
}
