/**
 * @module The feature-flags worker: `GET /flags` evaluates the flags document
 * (read from the PoP's KV replica) for the user; `PUT /admin/flags` replaces it.
 */
import type { EdgeRequest, Env } from "./env.js";
import { evaluate, FLAGS_KEY, validateDocument, type FlagsDocument } from "./flags.js";

export const USER_HEADER = "x-user-id";
export const USER_COOKIE = "uid";
export const SECRET_HEADER = "x-admin-secret";
/** Seconds the flags may be served from an edge cache (Workers KV; accepted and ignored by Verge, whose reads are local). */
const CACHE_TTL = 60;
const MAX_BODY_BYTES = 64 * 1024;
const USER_ID = /^[A-Za-z0-9._@:-]{1,128}$/;

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { "cache-control": "no-store", ...headers } });
}

function error(status: number, code: string, message: string): Response {
  return json({ error: { code, message } }, status);
}

/** The user id from the `x-user-id` header, else the `uid` cookie; null when absent or malformed. */
export function userIdOf(request: Request): string | null {
  const header = request.headers.get(USER_HEADER);
  if (header !== null) return USER_ID.test(header) ? header : null;
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === USER_COOKIE) {
      const value = rest.join("=");
      return USER_ID.test(value) ? value : null;
    }
  }
  return null;
}

async function readFlags(env: Env): Promise<FlagsDocument | null> {
  // Local read of this PoP's replica. A stored document is always valid: only the admin route writes it.
  return (await env.FLAGS.get(FLAGS_KEY, { type: "json", cacheTtl: CACHE_TTL })) as FlagsDocument | null;
}

async function flagsFor(request: EdgeRequest, env: Env): Promise<Response> {
  const user = userIdOf(request);
  const flags = await evaluate(await readFlags(env), user);
  const header = Object.entries(flags)
    .map(([name, variant]) => `${name}=${variant}`)
    .join(", ");
  return json({ pop: request.cf?.colo ?? null, user, flags }, 200, { "x-feature-flags": header, vary: `${USER_HEADER}, cookie` });
}

/** Constant-time comparison of the secrets' SHA-256 digests, so the time taken does not reveal a matching prefix. */
async function sameSecret(given: string, expected: string): Promise<boolean> {
  const digest = async (text: string) => new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  const [a, b] = await Promise.all([digest(given), digest(expected)]);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

async function admin(request: EdgeRequest, env: Env): Promise<Response> {
  const expected = env.ADMIN_SECRET ?? "";
  if (expected === "") return error(503, "admin_disabled", "The admin route is disabled: ADMIN_SECRET is not set");
  const given = request.headers.get(SECRET_HEADER);
  if (given === null || !(await sameSecret(given, expected))) return error(401, "unauthorized", `A valid ${SECRET_HEADER} header is required`);
  if (request.method === "GET") return json((await readFlags(env)) ?? { flags: {} });
  if (request.method !== "PUT") return new Response(null, { status: 405, headers: { allow: "GET, PUT" } });

  const text = await request.text();
  if (new TextEncoder().encode(text).byteLength > MAX_BODY_BYTES) return error(413, "too_large", `The flags document is over ${MAX_BODY_BYTES} bytes`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return error(400, "bad_json", "The body is not JSON");
  }
  const checked = validateDocument(body);
  if (!checked.ok) return error(400, "bad_flags", checked.message);
  // Resolves once durable; this PoP reads it at once, the others after replication.
  await env.FLAGS.put(FLAGS_KEY, JSON.stringify(checked.document));
  return json({ ok: true, pop: request.cf?.colo ?? null, flags: Object.keys(checked.document.flags) });
}

export default {
  async fetch(request: EdgeRequest, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);
    try {
      if (pathname === "/admin/flags") return await admin(request, env);
      if (pathname === "/flags" || pathname === "/") {
        if (request.method !== "GET" && request.method !== "HEAD") return new Response(null, { status: 405, headers: { allow: "GET, HEAD" } });
        return await flagsFor(request, env);
      }
      return error(404, "not_found", `No route for ${pathname}`);
    } catch (caught) {
      console.error(caught instanceof Error ? (caught.stack ?? caught.message) : String(caught));
      return error(500, "internal", "The flags could not be evaluated");
    }
  },
};
