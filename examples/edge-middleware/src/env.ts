/** @module The bindings of the edge-middleware worker and the `request.cf` fields it reads. */

/** Vars from wrangler.toml (strings, as wrangler passes them). */
export interface Env {
  /** Where everything not answered at the edge goes, e.g. `http://127.0.0.1:8780`. */
  ORIGIN_URL: string;
  /** The JSON Web Key Set that signs user tokens; `${ORIGIN_URL}/.well-known/jwks.json` when unset. */
  JWKS_URL?: string;
  /** Expected `iss` claim; not checked when unset or empty. */
  JWT_ISSUER?: string;
  /** Expected `aud` claim; not checked when unset or empty. */
  JWT_AUDIENCE?: string;
  /** Percentage (0-100) of users in cohort "a"; 50 when unset or invalid. */
  AB_SPLIT?: string;
}

/** The subset of Cloudflare's `IncomingRequestCfProperties` this worker uses. */
export interface CfProperties {
  country?: string;
  city?: string;
  colo?: string;
  timezone?: string;
}

/** A Request as a worker receives it: with `cf`. */
export type EdgeRequest = Request & { cf?: CfProperties };
