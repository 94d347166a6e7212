/**
 * @module Host-side checks of KV op arguments (tenant code can pass
 * anything): each throws a TypeError or RangeError naming the limit and the
 * value, before anything is written.
 */
import { NAMESPACE_ID_RULE, isNamespaceId } from "./config.js";
import { MAX_BULK_KEYS, MAX_LIST_LIMIT, MIN_TTL_SECONDS, keyProblem, metadataProblem, valueProblem } from "./limits.js";

export function checkNamespaceId(id: unknown, op: string): string {
  if (isNamespaceId(id)) return id;
  throw new TypeError(`KV ${op} failed: namespace id ${NAMESPACE_ID_RULE}: received ${JSON.stringify(id) ?? typeof id}`);
}

export function checkKey(key: unknown, op: string): string {
  const problem = keyProblem(key);
  if (problem === null) return key as string;
  throw typeof key === "string" && problem.includes("limit") ? new RangeError(`KV ${op} failed: ${problem}`) : new TypeError(`KV ${op} failed: ${problem}`);
}

export function checkKeys(keys: unknown): string[] {
  if (!Array.isArray(keys)) throw new TypeError("KV get failed: keys must be an array");
  if (keys.length === 0 || keys.length > MAX_BULK_KEYS) throw new RangeError(`KV get failed: a bulk get takes 1 to ${MAX_BULK_KEYS} keys: received ${keys.length}`);
  return keys.map((key) => checkKey(key, "get"));
}

export function checkValue(value: unknown): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError("KV put failed: value must be bytes");
  const problem = valueProblem(value.byteLength);
  if (problem) throw new RangeError(`KV put failed: ${problem}`);
  return value;
}

export function checkMetadata(json: unknown): string | null {
  if (json === null || json === undefined) return null;
  if (typeof json !== "string") throw new TypeError("KV put failed: metadata must be JSON text");
  const problem = metadataProblem(json);
  if (problem) throw new RangeError(`KV put failed: ${problem}`);
  return json;
}

/** Metadata given as JSON text (a command line, a query string): parsed to check it, then measured as the binding measures it. */
export function checkMetadataText(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new TypeError(`KV put failed: metadata must be JSON: received ${JSON.stringify(text)}`);
  }
  return checkMetadata(JSON.stringify(parsed));
}

function seconds(value: unknown, what: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === "string" && /^\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isFinite(n)) throw new TypeError(`KV put failed: ${what} must be a number of seconds: received ${JSON.stringify(value) ?? typeof value}`);
  return n;
}

/** The absolute expiration (seconds since the epoch) of a put, or null; `expirationTtl` wins over `expiration`. */
export function checkExpiration(expiration: unknown, expirationTtl: unknown, nowMs = Date.now()): number | null {
  const now = nowMs / 1000;
  const ttl = seconds(expirationTtl, "expirationTtl");
  if (ttl !== undefined) {
    if (ttl < MIN_TTL_SECONDS) throw new RangeError(`KV put failed: expirationTtl must be at least ${MIN_TTL_SECONDS} seconds: received ${ttl}`);
    return Math.floor(now + ttl);
  }
  const at = seconds(expiration, "expiration");
  if (at === undefined) return null;
  if (at < now + MIN_TTL_SECONDS) {
    throw new RangeError(`KV put failed: expiration must be at least ${MIN_TTL_SECONDS} seconds in the future (seconds since the epoch, now ${Math.floor(now)}): received ${at}`);
  }
  return Math.floor(at);
}

export function checkListOptions(prefix: unknown, limit: unknown, cursor: unknown): { prefix: string; limit: number; after: string } {
  if (prefix !== undefined && prefix !== null && typeof prefix !== "string") throw new TypeError(`KV list failed: prefix must be a string: received ${typeof prefix}`);
  const count = limit === undefined || limit === null ? MAX_LIST_LIMIT : limit;
  if (typeof count !== "number" || !Number.isInteger(count) || count < 1 || count > MAX_LIST_LIMIT) {
    throw new RangeError(`KV list failed: limit must be an integer from 1 to ${MAX_LIST_LIMIT}: received ${String(limit)}`);
  }
  let after = "";
  if (cursor !== undefined && cursor !== null && cursor !== "") {
    if (typeof cursor !== "string" || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new TypeError(`KV list failed: cursor is not one returned by list: received ${JSON.stringify(cursor)}`);
    after = Buffer.from(cursor, "base64url").toString("utf8");
  }
  return { prefix: prefix ?? "", limit: count, after };
}

/** The opaque cursor that resumes a listing after `key`. */
export function cursorAfter(key: string): string {
  return Buffer.from(key, "utf8").toString("base64url");
}
