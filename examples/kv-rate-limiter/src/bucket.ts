/** @module The token bucket: pure arithmetic, no I/O. */

/** What KV stores per client. */
export interface Bucket {
  /** Tokens left (fractional while refilling). */
  tokens: number;
  /** When `tokens` was computed, in ms since the epoch. */
  updatedAt: number;
}

export interface Policy {
  /** Bucket size: requests allowed in a burst, and per window. */
  limit: number;
  windowSeconds: number;
}

/**
 * The policy from the vars; defaults 10 per 60 s for missing or invalid values.
 * @example policyOf("5", "30") // { limit: 5, windowSeconds: 30 }
 */
export function policyOf(limit: string | undefined, windowSeconds: string | undefined): Policy {
  const positive = (value: string | undefined, fallback: number) => {
    const n = Number(value);
    return Number.isInteger(n) && n > 0 ? n : fallback;
  };
  return { limit: positive(limit, 10), windowSeconds: positive(windowSeconds, 60) };
}

/** The bucket at `now`: a missing one is full; otherwise refilled at limit per window, capped at limit. */
export function refill(bucket: Bucket | null, policy: Policy, now: number): Bucket {
  if (bucket === null) return { tokens: policy.limit, updatedAt: now };
  const elapsed = Math.max(0, now - bucket.updatedAt);
  const tokens = Math.min(policy.limit, bucket.tokens + (elapsed * policy.limit) / (policy.windowSeconds * 1000));
  return { tokens, updatedAt: now };
}

/**
 * Take one token if there is one.
 * @example take({ tokens: 1.5, updatedAt: 0 }) // { allowed: true, bucket: { tokens: 0.5, updatedAt: 0 } }
 */
export function take(bucket: Bucket): { allowed: boolean; bucket: Bucket } {
  if (bucket.tokens < 1) return { allowed: false, bucket };
  return { allowed: true, bucket: { ...bucket, tokens: bucket.tokens - 1 } };
}

/** Seconds until the bucket holds a whole token again. */
export function retryAfterSeconds(bucket: Bucket, policy: Policy): number {
  const perSecond = policy.limit / policy.windowSeconds;
  return Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond));
}

/** True for a value read back from KV that has the bucket's shape. */
export function isBucket(value: unknown): value is Bucket {
  if (typeof value !== "object" || value === null) return false;
  const { tokens, updatedAt } = value as Record<string, unknown>;
  return typeof tokens === "number" && Number.isFinite(tokens) && typeof updatedAt === "number" && Number.isFinite(updatedAt);
}
