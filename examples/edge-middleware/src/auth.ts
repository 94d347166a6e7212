/** @module JWT auth at the edge: Bearer tokens verified with jose against the remote JWKS; protected paths without one get a 401 here. */
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from "jose";
import type { Env } from "./env.js";
import { errorResponse } from "./responses.js";
import { classifyTokenError } from "./token-errors.js";

/** Path prefixes that need a valid token. */
export const PROTECTED_PREFIXES = ["/api", "/account"] as const;
/** Only ES256 tokens are accepted: never `none`, never an HMAC keyed with a public key. */
export const ALGORITHMS = ["ES256"];
const REALM = "edge-middleware";
const CLOCK_TOLERANCE_SECONDS = 5;

/** The outcome of looking at a request's credentials. */
export type AuthResult =
  | { status: "authenticated"; sub: string }
  | { status: "anonymous" }
  | { status: "invalid"; description: string }
  | { status: "unavailable"; message: string };

/**
 * True for `/api`, `/api/…`, `/account`, `/account/…`.
 * @example isProtected("/api/me") // true
 */
export function isProtected(pathname: string): boolean {
  return PROTECTED_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

// One key set per URL for the isolate's lifetime: jose caches the keys (10 min)
// and refetches on an unknown `kid` (at most every 30 s).
const keySets = new Map<string, JWTVerifyGetKey>();

function keySetFor(env: Env): JWTVerifyGetKey {
  const url = env.JWKS_URL || new URL("/.well-known/jwks.json", env.ORIGIN_URL).href;
  let keySet = keySets.get(url);
  if (!keySet) {
    keySet = createRemoteJWKSet(new URL(url), { timeoutDuration: 3000 });
    keySets.set(url, keySet);
  }
  return keySet;
}

/** The token of `Authorization: Bearer <token>`, or null. */
export function bearerToken(request: Request): string | null {
  const match = /^Bearer[ ]+([A-Za-z0-9._~+/-]+=*)[ ]*$/i.exec(request.headers.get("authorization") ?? "");
  return match ? match[1] : null;
}

/**
 * Verify the request's bearer token, if it has one.
 * @example
 * const auth = await authenticate(request, env);
 * if (auth.status === "authenticated") console.log(auth.sub);
 */
export async function authenticate(request: Request, env: Env): Promise<AuthResult> {
  const header = request.headers.get("authorization");
  if (header === null) return { status: "anonymous" };
  const token = bearerToken(request);
  if (token === null) return { status: "invalid", description: "The Authorization header is not a Bearer token" };
  try {
    const { payload } = await jwtVerify(token, keySetFor(env), {
      algorithms: ALGORITHMS,
      issuer: env.JWT_ISSUER || undefined,
      audience: env.JWT_AUDIENCE || undefined,
      requiredClaims: ["sub", "exp"],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    });
    // The sub becomes a request header: only printable ASCII is passed on.
    const sub = payload.sub;
    if (typeof sub !== "string" || !/^[\x21-\x7e]{1,256}$/.test(sub)) return { status: "invalid", description: "The token sub claim is invalid" };
    return { status: "authenticated", sub };
  } catch (error) {
    const failure = classifyTokenError(error);
    return failure.kind === "invalid" ? { status: "invalid", description: failure.description } : { status: "unavailable", message: failure.message };
  }
}

/**
 * The edge's answer to a protected path without a valid token: 401 with
 * `WWW-Authenticate` (RFC 6750), or 503 when the key set cannot be fetched.
 */
export function rejectRequest(auth: Exclude<AuthResult, { status: "authenticated" }>): Response {
  switch (auth.status) {
    case "anonymous":
      return errorResponse(401, "unauthorized", "This path needs an Authorization: Bearer token", {
        "www-authenticate": `Bearer realm="${REALM}"`,
      });
    case "invalid":
      return errorResponse(401, "invalid_token", auth.description, {
        "www-authenticate": `Bearer realm="${REALM}", error="invalid_token", error_description="${auth.description}"`,
      });
    case "unavailable":
      console.error(`JWKS unavailable: ${auth.message}`);
      return errorResponse(503, "auth_unavailable", "Tokens cannot be verified right now", { "retry-after": "5" });
  }
}
