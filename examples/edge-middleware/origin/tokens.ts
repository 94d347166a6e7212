/** @module The demo origin's signing key (ES256, made at start) and the tokens it issues. */
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";

export const ISSUER = "verge-demo-origin";
export const AUDIENCE = "edge-middleware";
export const DEFAULT_TTL_SECONDS = 3600;

/** Options of issueToken: tests use them to make bad tokens. */
export interface TokenOptions {
  /** Lifetime in seconds; negative for a token that has already expired. */
  ttlSeconds?: number;
  audience?: string;
  issuer?: string;
}

/** A signing key and its public JWKS. */
export interface TokenIssuer {
  jwks: { keys: JWK[] };
  issueToken(sub: string, options?: TokenOptions): Promise<string>;
}

/**
 * Generate a fresh ES256 key pair; its public half is published as a JWKS.
 * @example const issuer = await createTokenIssuer(); await issuer.issueToken("alice");
 */
export async function createTokenIssuer(): Promise<TokenIssuer> {
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    jwks: { keys: [{ ...publicJwk, kid, alg: "ES256", use: "sig" }] },
    async issueToken(sub, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({})
        .setProtectedHeader({ alg: "ES256", kid, typ: "JWT" })
        .setSubject(sub)
        .setIssuer(options.issuer ?? ISSUER)
        .setAudience(options.audience ?? AUDIENCE)
        .setIssuedAt(now)
        .setExpirationTime(now + (options.ttlSeconds ?? DEFAULT_TTL_SECONDS))
        .sign(privateKey);
    },
  };
}
