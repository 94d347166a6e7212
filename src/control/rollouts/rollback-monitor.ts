/**
 * @module Automatic rollback: every second, each split with a rule is judged
 * on the network's traffic over its window. When the new version has served
 * enough requests and its 5xx rate exceeds the old one's by more than the
 * margin, the old version is deployed at 100% and the record says why.
 */
import type { BucketChange, Subscription } from "../../substrate/types.js";
import { decodeDeployment, type Deployment } from "../store/deployment-store.js";
import type { TrafficWindow } from "../traffic/traffic-window.js";
import type { Rollouts } from "./rollouts.js";

const CHECK_MS = 1000;

export class RollbackMonitor {
  readonly #splits = new Map<string, { deployment: Deployment; revision: number }>();
  readonly #timer: NodeJS.Timeout;
  #watch: Subscription<BucketChange> | null = null;

  private constructor(
    private readonly rollouts: Rollouts,
    private readonly traffic: TrafficWindow,
    private readonly onRollback: (deployment: Deployment) => void,
  ) {
    this.#timer = setInterval(() => void this.#check(), CHECK_MS);
    this.#timer.unref();
  }

  static async start(rollouts: Rollouts, traffic: TrafficWindow, onRollback: (deployment: Deployment) => void = () => {}): Promise<RollbackMonitor> {
    const monitor = new RollbackMonitor(rollouts, traffic, onRollback);
    monitor.#watch = await rollouts.deployments.watch();
    void monitor.#follow(monitor.#watch);
    return monitor;
  }

  async #follow(watch: Subscription<BucketChange>): Promise<void> {
    try {
      for await (const change of watch) {
        if (change.op === "delete") this.#splits.delete(change.key);
        else {
          const deployment = decodeDeployment(change.value);
          if (deployment.shares.length === 2 && deployment.autoRollback) this.#splits.set(change.key, { deployment, revision: change.revision });
          else this.#splits.delete(change.key);
        }
      }
    } catch {
      // Closed with the control plane.
    }
  }

  async #check(now = Date.now()): Promise<void> {
    for (const [worker, { deployment, revision }] of this.#splits) {
      const rule = deployment.autoRollback!;
      // Only traffic since this split began counts, within the window.
      const windowS = Math.max(1, Math.min(rule.windowSeconds, Math.ceil((now - deployment.deployedAt) / 1000)));
      const fresh = this.traffic.totals(worker, deployment.shares[0].version, windowS, now);
      if (fresh.requests < rule.minRequests) continue;
      const old = this.traffic.totals(worker, deployment.shares[1].version, windowS, now);
      const freshRate = (100 * fresh.errors) / fresh.requests;
      const oldRate = old.requests === 0 ? 0 : (100 * old.errors) / old.requests;
      if (freshRate - oldRate <= rule.marginPercent) continue;
      const reason = `5xx rate ${freshRate.toFixed(1)}% (${fresh.errors}/${fresh.requests}) against ${oldRate.toFixed(1)}% (${old.errors}/${old.requests}) for ${deployment.shares[1].version} over ${windowS} s: over the ${rule.marginPercent} point margin`;
      try {
        // The watch then brings the new record, which ends the judging; a lost race is judged on the winner.
        if (await this.rollouts.autoRollback(deployment, revision, reason, now)) this.onRollback(deployment);
      } catch {
        // The store is away: judged again at the next check.
      }
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#watch?.close();
  }
}
