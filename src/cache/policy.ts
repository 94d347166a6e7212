/**
 * @module What a shared cache may store and for how long (RFC 9111 as
 * Cloudflare applies it): no-store, private and Set-Cookie keep a response
 * out; s-maxage over max-age over Expires; without any, Cloudflare's default
 * edge TTL by status; `cacheTtl` / `cacheTtlByStatus` from `cf` override the
 * origin's lifetime.
 */
import { parseCacheControl, seconds, type Directives } from "./cache-control.js";
import { header, listItems, without, type HeaderPairs } from "./headers.js";

/** Cloudflare's edge TTL for responses without freshness information, by status (seconds). */
export const DEFAULT_EDGE_TTL: Readonly<Record<number, number>> = { 200: 7200, 203: 7200, 206: 7200, 301: 7200, 302: 1200, 303: 1200, 404: 180, 410: 180 };

/** Overrides from `fetch(url, { cf })`. */
export interface TtlOverrides {
  /** Seconds, whatever the origin says, for the statuses of DEFAULT_EDGE_TTL (0 or less: do not cache). */
  cacheTtl?: number;
  /** Seconds by status or status range, e.g. `{ "200-299": 86400, "404": 1, "500-599": 0 }`. */
  cacheTtlByStatus?: Readonly<Record<string, number>>;
}

/** How a stored response ages. */
export interface Freshness {
  /** Lifetime from the moment of storing, in milliseconds (the origin's Age already subtracted). */
  ttlMs: number;
  /** After the lifetime, how long a stale copy may still be served while it is refreshed. */
  staleWhileRevalidateMs: number;
  /** no-cache: every use must be revalidated with the origin first. */
  revalidateAlways: boolean;
}

export type Storability =
  | { store: true; freshness: Freshness; headers: [string, string][] }
  | { store: false; reason: string };

/** Request headers a shared cache must not answer for unless the response allows it (RFC 9111 §3.5). */
const AUTHORIZATION = "authorization";

function overrideTtl(status: number, overrides: TtlOverrides): number | undefined {
  if (overrides.cacheTtlByStatus) {
    for (const [range, ttl] of Object.entries(overrides.cacheTtlByStatus)) {
      const [low, high = low] = range.split("-").map(Number);
      if (status >= low && status <= high) return ttl;
    }
  }
  // As Cloudflare's Edge Cache TTL: the forced TTL applies to the statuses it caches by default.
  return status in DEFAULT_EDGE_TTL ? overrides.cacheTtl : undefined;
}

function lifetimeSeconds(status: number, headers: HeaderPairs, directives: Directives, now: number): number | undefined {
  const shared = seconds(directives, "s-maxage") ?? seconds(directives, "max-age");
  if (shared !== undefined) return shared;
  const expires = header(headers, "expires");
  if (expires !== null) {
    const at = Date.parse(expires);
    if (Number.isNaN(at)) return 0; // An invalid Expires means "already expired".
    const date = Date.parse(header(headers, "date") ?? "");
    return Math.max(0, Math.floor((at - (Number.isNaN(date) ? now : date)) / 1000));
  }
  return DEFAULT_EDGE_TTL[status];
}

/**
 * Whether a response to `request` may be stored by the PoP's shared cache,
 * with its freshness and the headers to store (Set-Cookie dropped when
 * `private=Set-Cookie` allows storing the rest).
 */
export function storability(request: { headers: HeaderPairs }, status: number, headers: HeaderPairs, now: number, overrides: TtlOverrides = {}): Storability {
  if (status === 206) return { store: false, reason: "partial content (206)" };
  if (listItems(header(headers, "vary")).includes("*")) return { store: false, reason: "Vary: *" };
  const directives = parseCacheControl(header(headers, "cache-control"));
  const forced = overrideTtl(status, overrides);
  let stored: [string, string][] = headers.map(([name, value]) => [name, value]);
  const privateFields = directives.get("private");
  if (forced === undefined) {
    if (directives.has("no-store")) return { store: false, reason: "Cache-Control: no-store" };
    if (privateFields === true) return { store: false, reason: "Cache-Control: private" };
  }
  if (header(headers, "set-cookie") !== null) {
    const allowed = typeof privateFields === "string" && listItems(privateFields.toLowerCase()).includes("set-cookie");
    if (!allowed) return { store: false, reason: "Set-Cookie (send Cache-Control: private=Set-Cookie to store the rest)" };
    stored = without(stored, new Set(["set-cookie"]));
  }
  if (forced === undefined && header(request.headers, AUTHORIZATION) !== null && !directives.has("public") && !directives.has("s-maxage") && !directives.has("must-revalidate")) {
    return { store: false, reason: "a request with Authorization and a response not marked public" };
  }
  const revalidateAlways = forced === undefined && directives.has("no-cache");
  const lifetime = forced ?? (revalidateAlways ? 0 : lifetimeSeconds(status, headers, directives, now));
  if (lifetime === undefined) return { store: false, reason: `status ${status} without freshness information` };
  const age = Number(header(headers, "age") ?? 0);
  const ttlMs = Math.max(0, lifetime - (Number.isFinite(age) && age > 0 ? age : 0)) * 1000;
  const swr = directives.has("must-revalidate") || directives.has("proxy-revalidate") ? 0 : (seconds(directives, "stale-while-revalidate") ?? 0);
  const validators = header(headers, "etag") !== null || header(headers, "last-modified") !== null;
  if (ttlMs <= 0 && swr <= 0 && !(revalidateAlways && validators)) return { store: false, reason: "already expired (lifetime 0)" };
  return { store: true, freshness: { ttlMs, staleWhileRevalidateMs: swr * 1000, revalidateAlways }, headers: stored };
}

/** The state of a stored response at `now`. */
export type Staleness = "fresh" | "stale-while-revalidate" | "stale";

export function staleness(storedAt: number, freshness: Freshness, now: number): Staleness {
  if (freshness.revalidateAlways) return "stale";
  const age = now - storedAt;
  if (age < freshness.ttlMs) return "fresh";
  if (age < freshness.ttlMs + freshness.staleWhileRevalidateMs) return "stale-while-revalidate";
  return "stale";
}
