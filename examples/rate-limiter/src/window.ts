/**
 * @module The sliding window: pure arithmetic, no I/O. A user's window is the
 * list of the times (ms since the epoch) of the requests admitted in the last
 * `windowSeconds`; a request is admitted while that list is shorter than
 * `limit`. So no span of `windowSeconds` ever holds more than `limit`
 * admitted requests.
 */

export interface Policy {
  /** Requests admitted per user in any window. */
  limit: number;
  windowSeconds: number;
}

/** Bounds of the vars: the window keeps one time per admitted request, so the limit stays small. */
export const MAX_LIMIT = 1000;
export const MAX_WINDOW_SECONDS = 86_400;

function integerVar(name: string, value: string | undefined, max: number): number {
  const n = Number(value);
  if (value === undefined || value.trim() === "" || !Number.isInteger(n) || n < 1 || n > max) {
    throw new RangeError(`${name} must be an integer from 1 to ${max}: received ${JSON.stringify(value ?? null)}`);
  }
  return n;
}

/**
 * The policy from the vars; a missing or invalid one is a RangeError naming it
 * (a limiter that guessed its limit would not be exact).
 * @example policyOf("5", "30") // { limit: 5, windowSeconds: 30 }
 */
export function policyOf(limit: string | undefined, windowSeconds: string | undefined): Policy {
  return { limit: integerVar("RATE_LIMIT", limit, MAX_LIMIT), windowSeconds: integerVar("RATE_WINDOW_SECONDS", windowSeconds, MAX_WINDOW_SECONDS) };
}

/** What one request gets. */
export interface Verdict extends Policy {
  allowed: boolean;
  /** Requests the user may still make in the window. */
  remaining: number;
  /** When refused: seconds until the oldest admitted request leaves the window (at least 1). */
  retryAfterSeconds: number | null;
}

/** The times still inside the window at `now`, oldest first. */
export function prune(admitted: readonly number[], policy: Policy, now: number): number[] {
  const since = now - policy.windowSeconds * 1000;
  return admitted.filter((at) => at > since);
}

/**
 * Admit one request at `now` or refuse it; `admitted` is the window after it.
 * @example take([], { limit: 1, windowSeconds: 60 }, 5).verdict.remaining // 0
 */
export function take(window: readonly number[], policy: Policy, now: number): { verdict: Verdict; admitted: number[] } {
  const admitted = prune(window, policy, now);
  if (admitted.length >= policy.limit) {
    const frees = admitted[0] + policy.windowSeconds * 1000;
    const retryAfterSeconds = Math.max(1, Math.ceil((frees - now) / 1000));
    return { verdict: { allowed: false, ...policy, remaining: 0, retryAfterSeconds }, admitted };
  }
  admitted.push(now);
  return { verdict: { allowed: true, ...policy, remaining: policy.limit - admitted.length, retryAfterSeconds: null }, admitted };
}

/** When the oldest time leaves the window: when the object should look again. */
export function expiresAt(admitted: readonly number[], policy: Policy): number | null {
  return admitted.length === 0 ? null : admitted[0] + policy.windowSeconds * 1000;
}
