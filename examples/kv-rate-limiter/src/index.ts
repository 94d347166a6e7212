/**
 * @module The kv-rate-limiter worker: every request takes a token from the
 * client's bucket in KV (read, decrement, write back) or gets a 429.
 * `GET /bucket` shows this PoP's copy of the bucket without taking a token.
 *
 * Deliberately naive: the read-modify-write is not coordinated between PoPs
 * (nor between concurrent requests), so the limit leaks. See README.md.
 */
import { isBucket, policyOf, refill, retryAfterSeconds, take, type Bucket } from "./bucket.js";
import type { EdgeRequest, Env } from "./env.js";

export const CLIENT_HEADER = "x-client-id";
const CLIENT_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

/** The client: `x-client-id` when valid, else the connecting address. */
export function clientOf(request: Request): string {
  const id = request.headers.get(CLIENT_HEADER);
  if (id !== null && CLIENT_ID.test(id)) return id;
  return `ip:${request.headers.get("cf-connecting-ip") ?? "unknown"}`;
}

const keyOf = (client: string) => `bucket:${client}`;

async function readBucket(env: Env, client: string): Promise<Bucket | null> {
  // A local read of this PoP's replica: it may not have other PoPs' latest writes yet.
  const stored = await env.LIMITS.get(keyOf(client), { type: "json" });
  return isBucket(stored) ? stored : null;
}

async function limit(request: EdgeRequest, env: Env): Promise<Response> {
  const policy = policyOf(env.RATE_LIMIT, env.RATE_WINDOW_SECONDS);
  const client = clientOf(request);
  const pop = request.cf?.colo ?? null;
  const { allowed, bucket } = take(refill(await readBucket(env, client), policy, Date.now()));
  const headers = { "x-ratelimit-limit": String(policy.limit), "x-ratelimit-remaining": String(Math.floor(bucket.tokens)), "cache-control": "no-store" };
  if (!allowed) {
    return Response.json(
      { error: { code: "rate_limited", message: `More than ${policy.limit} requests in ${policy.windowSeconds} s` }, pop, client },
      { status: 429, headers: { ...headers, "retry-after": String(retryAfterSeconds(bucket, policy)) } },
    );
  }
  // The write back. It resolves once durable; other PoPs apply it after the replication lag.
  // An idle client's bucket is full again after one window, so the key may expire then.
  await env.LIMITS.put(keyOf(client), JSON.stringify(bucket), { expirationTtl: Math.max(60, policy.windowSeconds) });
  return Response.json({ ok: true, pop, client, remaining: Math.floor(bucket.tokens) }, { headers });
}

export default {
  async fetch(request: EdgeRequest, env: Env): Promise<Response> {
    try {
      if (new URL(request.url).pathname === "/bucket") {
        const client = clientOf(request);
        return Response.json({ pop: request.cf?.colo ?? null, client, bucket: await readBucket(env, client) }, { headers: { "cache-control": "no-store" } });
      }
      return await limit(request, env);
    } catch (caught) {
      console.error(caught instanceof Error ? (caught.stack ?? caught.message) : String(caught));
      return Response.json({ error: { code: "internal", message: "The rate limiter failed" } }, { status: 500 });
    }
  },
};
