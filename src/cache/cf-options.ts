/**
 * @module The caching options of `fetch(url, { cf })`, checked where they
 * cross from the isolate: a bad value is a TypeError naming it.
 */
import { tagProblem } from "./purge.js";

export interface CfCacheOptions {
  cacheTtl?: number;
  cacheTtlByStatus?: Record<string, number>;
  cacheEverything?: boolean;
  cacheKey?: string;
  cacheTags?: string[];
}

const STATUS_RANGE = /^([1-5]\d\d)(?:-([1-5]\d\d))?$/;

function ttl(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new TypeError(`fetch: cf.${what} must be a number of seconds: received ${JSON.stringify(value)}`);
  return Math.trunc(value);
}

/** The cache options in a `cf` object, or null when it asks for no caching. */
export function cfCacheOptions(cf: unknown): CfCacheOptions | null {
  if (cf === undefined || cf === null) return null;
  if (typeof cf !== "object" || Array.isArray(cf)) throw new TypeError(`fetch: cf must be an object: received ${JSON.stringify(cf)}`);
  const raw = cf as Record<string, unknown>;
  const options: CfCacheOptions = {};
  if (raw.cacheTtl !== undefined) options.cacheTtl = ttl(raw.cacheTtl, "cacheTtl");
  if (raw.cacheTtlByStatus !== undefined) {
    const byStatus = raw.cacheTtlByStatus;
    if (typeof byStatus !== "object" || byStatus === null || Array.isArray(byStatus)) throw new TypeError(`fetch: cf.cacheTtlByStatus must be an object such as {"200-299": 86400}: received ${JSON.stringify(byStatus)}`);
    options.cacheTtlByStatus = {};
    for (const [range, value] of Object.entries(byStatus)) {
      const match = STATUS_RANGE.exec(range);
      if (!match || (match[2] !== undefined && Number(match[2]) < Number(match[1]))) throw new TypeError(`fetch: cf.cacheTtlByStatus keys are statuses or ranges such as "200-299": received ${JSON.stringify(range)}`);
      options.cacheTtlByStatus[range] = ttl(value, `cacheTtlByStatus["${range}"]`);
    }
  }
  if (raw.cacheEverything !== undefined) {
    if (typeof raw.cacheEverything !== "boolean") throw new TypeError(`fetch: cf.cacheEverything must be a boolean: received ${JSON.stringify(raw.cacheEverything)}`);
    options.cacheEverything = raw.cacheEverything;
  }
  if (raw.cacheKey !== undefined) {
    if (typeof raw.cacheKey !== "string" || raw.cacheKey === "" || raw.cacheKey.length > 4096) throw new TypeError(`fetch: cf.cacheKey must be a string of 1 to 4096 characters: received ${JSON.stringify(raw.cacheKey)}`);
    options.cacheKey = raw.cacheKey;
  }
  if (raw.cacheTags !== undefined) {
    if (!Array.isArray(raw.cacheTags)) throw new TypeError(`fetch: cf.cacheTags must be an array of strings: received ${JSON.stringify(raw.cacheTags)}`);
    for (const tag of raw.cacheTags) {
      const problem = tagProblem(tag);
      if (problem !== null) throw new TypeError(`fetch: cf.cacheTags: ${problem}`);
    }
    options.cacheTags = raw.cacheTags as string[];
  }
  const caching = options.cacheEverything === true || options.cacheTtl !== undefined || options.cacheTtlByStatus !== undefined || options.cacheKey !== undefined || options.cacheTags !== undefined;
  return caching ? options : null;
}
