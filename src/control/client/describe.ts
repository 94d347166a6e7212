/** @module Deployments in words, for the commands that print what serves a worker. */
import type { Deployment } from "./types.js";

/**
 * What serves the worker: `0123… at 100%`, or a split with the new version first.
 *
 * @example describeShares(deployment) // "5f0c…e1 at 10%, 9a7b…02 at 90% (sticky by ip)"
 */
export function describeShares(deployment: Deployment): string {
  const shares = deployment.shares.map((share) => `${share.version} at ${share.percent}%`).join(", ");
  return deployment.shares.length > 1 ? `${shares} (sticky by ${deployment.sticky})` : shares;
}

/** Where the worker is reached: its routes, or `<worker>.localhost` at every PoP. */
export function describeRoutes(deployment: Deployment): string {
  return deployment.routes.length > 0 ? `routes ${deployment.routes.join(", ")}` : `host ${deployment.worker}.localhost at every PoP`;
}

/**
 * The automatic rollback of a split: its rule, or what it did; null for a
 * single version that was deployed, not rolled back.
 */
export function describeAutoRollback(deployment: Deployment): string | null {
  const { rolledBack, autoRollback } = deployment;
  if (rolledBack) return `rolled back automatically from ${rolledBack.from} to ${rolledBack.to} at ${new Date(rolledBack.at).toISOString()}: ${rolledBack.reason}`;
  if (deployment.shares.length < 2) return null;
  if (!autoRollback) return "automatic rollback: off";
  const { marginPercent, windowSeconds, minRequests } = autoRollback;
  return `automatic rollback: if the new version's 5xx rate exceeds the other's by more than ${marginPercent} points over ${windowSeconds} s (once it served ${minRequests} requests)`;
}

/** The percentage each version serves, by version id. */
export function percentByVersion(deployment: Deployment | null): Map<string, number> {
  return new Map((deployment?.shares ?? []).map((share) => [share.version, share.percent]));
}
