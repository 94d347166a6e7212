/** @module The edge-middleware worker: authenticate, assign a cohort, personalize, forward to the origin, add security headers; `/edge/info` at the edge. */
import { authenticate, isProtected, rejectRequest } from "./auth.js";
import { assignCohort, type Cohort } from "./cohort.js";
import type { EdgeRequest, Env } from "./env.js";
import { forwardToOrigin } from "./forward.js";
import { localeOf, type Locale } from "./personalize.js";
import { errorResponse, jsonResponse } from "./responses.js";
import { withSecurityHeaders } from "./security-headers.js";

export const EDGE_INFO_PATH = "/edge/info";

function edgeInfo(request: EdgeRequest, sub: string | null, cohort: Cohort, locale: Locale): Response {
  const cf = request.cf ?? {};
  return jsonResponse({ pop: cf.colo ?? null, country: locale.country || null, city: cf.city ?? null, user: sub, cohort, currency: locale.currency, language: locale.language }, 200);
}

async function handle(request: EdgeRequest, env: Env): Promise<Response> {
  const url = new URL(request.url);
  const auth = await authenticate(request, env);
  if (isProtected(url.pathname) && auth.status !== "authenticated") return rejectRequest(auth);
  // On public paths a missing or failing token just means an anonymous visitor.
  const sub = auth.status === "authenticated" ? auth.sub : null;
  const assignment = await assignCohort(request, sub, env.AB_SPLIT);
  const locale = localeOf(request.cf);
  const response =
    url.pathname === EDGE_INFO_PATH
      ? edgeInfo(request, sub, assignment.cohort, locale)
      : await forwardToOrigin(request, env, { sub, cohort: assignment.cohort, locale });
  for (const cookie of assignment.setCookies) response.headers.append("set-cookie", cookie);
  return response;
}

export default {
  async fetch(request: EdgeRequest, env: Env): Promise<Response> {
    let response: Response;
    try {
      response = await handle(request, env);
    } catch (error) {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      response = errorResponse(500, "internal_error", "The edge failed to handle the request");
    }
    return withSecurityHeaders(response);
  },
};
