/**
 * @module The counter worker: `POST /<name>` adds one to the counter `name`,
 * `GET /<name>` reads it, `DELETE /<name>` resets it. Each name is one
 * Counter Durable Object (`idFromName`), so every PoP counts into the same one.
 */
import type { EdgeRequest, Env } from "./env.js";

export { Counter } from "./counter.js";

export const MAX_NAME_LENGTH = 64;
const NAME = /^[A-Za-z0-9._-]+$/;
const ALLOWED = "GET, POST, DELETE";

/** `value` quoted for an error message, cut after MAX_NAME_LENGTH characters. */
const quote = (value: string) => JSON.stringify(value.length > MAX_NAME_LENGTH ? `${value.slice(0, MAX_NAME_LENGTH)}…` : value);

/**
 * The counter name in a path, or why it is not one.
 * @example nameOf("/visits") // { name: "visits" }
 */
export function nameOf(pathname: string): { name: string } | { error: string } {
  let name: string;
  try {
    name = decodeURIComponent(pathname.slice(1));
  } catch {
    return { error: `The path ${quote(pathname)} is not valid percent-encoding` };
  }
  if (name === "") return { error: "No counter name: use /<name>, e.g. POST /visits" };
  if (name.length > MAX_NAME_LENGTH) return { error: `The counter name ${quote(name)} is ${name.length} characters long: the limit is ${MAX_NAME_LENGTH}` };
  if (!NAME.test(name)) return { error: `The counter name ${quote(name)} may only hold A-Z a-z 0-9 . _ -` };
  return { name };
}

function failure(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error: { code, message } }, { status, headers: { "cache-control": "no-store", ...headers } });
}

async function handle(request: EdgeRequest, env: Env): Promise<Response> {
  if (!["GET", "POST", "DELETE"].includes(request.method)) {
    return failure(405, "method_not_allowed", `The method ${request.method} is not allowed: use ${ALLOWED} /<name>`, { allow: ALLOWED });
  }
  const parsed = nameOf(new URL(request.url).pathname);
  if ("error" in parsed) return failure(400, "bad_name", parsed.error);
  const { name } = parsed;
  const counter = env.COUNTERS.get(env.COUNTERS.idFromName(name));
  let count = 0;
  if (request.method === "POST") count = await counter.increment();
  else if (request.method === "GET") count = await counter.read();
  else await counter.reset();
  return Response.json({ name, count, pop: request.cf?.colo ?? null }, { headers: { "cache-control": "no-store" } });
}

export default {
  async fetch(request: EdgeRequest, env: Env): Promise<Response> {
    try {
      return await handle(request, env);
    } catch (caught) {
      console.error(caught instanceof Error ? (caught.stack ?? caught.message) : String(caught));
      return failure(500, "internal", "The counter failed");
    }
  },
};
