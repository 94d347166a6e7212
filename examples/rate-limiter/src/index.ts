/**
 * @module The rate-limiter worker: every request takes a slot from its user's
 * window, kept by that user's RateLimiter Durable Object, or gets a 429 with
 * `retry-after`. `GET /status` shows the window without taking a slot.
 * Exact across PoPs: each user's requests are all decided by one object.
 */
import type { EdgeRequest, Env } from "./env.js";

export { RateLimiter } from "./limiter.js";

export const USER_HEADER = "x-user-id";
export const USER_PARAM = "user";
const USER_ID = /^[A-Za-z0-9._:@-]{1,64}$/;

/** `value` quoted for an error message, cut after 64 characters. */
const quote = (value: string) => JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);

/**
 * The user: the `x-user-id` header, else the `user` query parameter; or why
 * there is none. Never the client's address: a limiter per user must not
 * fall back to a key that users share.
 */
export function userOf(request: Request): { user: string } | { error: string } {
  const header = request.headers.get(USER_HEADER);
  const [value, from] = header !== null ? [header, `the ${USER_HEADER} header`] : [new URL(request.url).searchParams.get(USER_PARAM), `?${USER_PARAM}=`];
  if (value === null) return { error: `No user id: send the ${USER_HEADER} header or ?${USER_PARAM}=<id>` };
  if (!USER_ID.test(value)) return { error: `The user id ${quote(value)} (from ${from}) is not 1 to 64 characters of A-Z a-z 0-9 . _ : @ -` };
  return { user: value };
}

const NO_STORE = { "cache-control": "no-store" };

async function limit(request: EdgeRequest, env: Env): Promise<Response> {
  const pop = request.cf?.colo ?? null;
  const found = userOf(request);
  if ("error" in found) return Response.json({ error: { code: "bad_user", message: found.error }, pop }, { status: 400, headers: NO_STORE });
  const { user } = found;
  // The same object for this user at every PoP; the call crosses to the PoP that owns it.
  const limiter = env.LIMITERS.get(env.LIMITERS.idFromName(user));
  if (request.method === "GET" && new URL(request.url).pathname === "/status") {
    return Response.json({ pop, user, ...(await limiter.status()) }, { headers: NO_STORE });
  }
  const verdict = await limiter.take();
  const headers = { ...NO_STORE, "x-ratelimit-limit": String(verdict.limit), "x-ratelimit-remaining": String(verdict.remaining) };
  if (!verdict.allowed) {
    return Response.json(
      { error: { code: "rate_limited", message: `More than ${verdict.limit} requests in ${verdict.windowSeconds} s for this user` }, pop, user },
      { status: 429, headers: { ...headers, "retry-after": String(verdict.retryAfterSeconds) } },
    );
  }
  return Response.json({ ok: true, pop, user, remaining: verdict.remaining }, { headers });
}

export default {
  async fetch(request: EdgeRequest, env: Env): Promise<Response> {
    try {
      return await limit(request, env);
    } catch (caught) {
      // A bad RATE_LIMIT or RATE_WINDOW_SECONDS ends here too, named in the log.
      console.error(caught instanceof Error ? (caught.stack ?? caught.message) : String(caught));
      return Response.json({ error: { code: "internal", message: "The rate limiter failed" } }, { status: 500 });
    }
  },
};
