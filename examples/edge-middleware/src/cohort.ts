/** @module Deterministic A/B cohorts: SHA-256 of the user id mod 100 against AB_SPLIT, kept in a sticky cookie. */
import { parseCookies, serializeCookie } from "./cookies.js";

export type Cohort = "a" | "b";

export const COHORT_COOKIE = "cohort";
export const ANONYMOUS_ID_COOKIE = "anon_id";
const THIRTY_DAYS_SECONDS = 30 * 24 * 60 * 60;
const DEFAULT_SPLIT = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Who the visitor is for the experiment, which cohort, and the cookies to set. */
export interface Assignment {
  cohort: Cohort;
  /** The JWT `sub`, or `anon:<uuid>`. */
  userId: string;
  /** Set-Cookie values for the response (none when the cookies were already right). */
  setCookies: string[];
}

/**
 * AB_SPLIT as a whole percentage in 0-100; 50 when unset or not a number.
 * @example parseSplit("20") // 20
 */
export function parseSplit(value: string | undefined): number {
  const split = Number.parseInt(value ?? "", 10);
  return Number.isNaN(split) ? DEFAULT_SPLIT : Math.min(100, Math.max(0, split));
}

/**
 * The user's bucket, 0-99: the first 32 bits of SHA-256(id), modulo 100.
 * @example await bucketOf("alice") // always the same number for "alice"
 */
export async function bucketOf(userId: string): Promise<number> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(userId));
  return new DataView(digest).getUint32(0) % 100;
}

/**
 * Cohort "a" for buckets below the split, "b" otherwise.
 * @example await cohortOf("alice", 100) // "a"
 */
export async function cohortOf(userId: string, split: number): Promise<Cohort> {
  return (await bucketOf(userId)) < split ? "a" : "b";
}

function asCohort(value: string | undefined): Cohort | null {
  return value === "a" || value === "b" ? value : null;
}

/**
 * Assign the request's visitor to a cohort. An existing `cohort` cookie wins
 * (sticky); otherwise the cohort is computed from `sub` or the anonymous id.
 */
export async function assignCohort(request: Request, sub: string | null, splitVar: string | undefined): Promise<Assignment> {
  const cookies = parseCookies(request.headers.get("cookie"));
  const options = { maxAgeSeconds: THIRTY_DAYS_SECONDS, secure: new URL(request.url).protocol === "https:" };
  const setCookies: string[] = [];
  let userId = sub;
  if (userId === null) {
    let anonymousId = cookies.get(ANONYMOUS_ID_COOKIE);
    if (anonymousId === undefined || !UUID.test(anonymousId)) {
      anonymousId = crypto.randomUUID();
      setCookies.push(serializeCookie(ANONYMOUS_ID_COOKIE, anonymousId, { ...options, maxAgeSeconds: 12 * THIRTY_DAYS_SECONDS }));
    }
    userId = `anon:${anonymousId}`;
  }
  let cohort = asCohort(cookies.get(COHORT_COOKIE));
  if (cohort === null) {
    cohort = await cohortOf(userId, parseSplit(splitVar));
    setCookies.push(serializeCookie(COHORT_COOKIE, cohort, options));
  }
  return { cohort, userId, setCookies };
}
