/**
 * @module Changes of what serves a worker: deploy (at once, or a gradual
 * split with the version serving now), promote, roll back, routes. Each is a
 * compare-and-set of the worker's deployment record, retried on a race, so
 * concurrent changes never lose one another silently.
 */
import { Router } from "../../pop/router.js";
import { ControlError } from "../errors.js";
import { checkAutoRollback, type AutoRollback, type Deployment, type DeploymentStore } from "../store/deployment-store.js";
import type { VersionStore } from "../store/version-store.js";

export const DEFAULT_AUTO_ROLLBACK: AutoRollback = { windowSeconds: 60, marginPercent: 5, minRequests: 20 };
const CAS_ATTEMPTS = 10;

export interface DeployRequest {
  version: string;
  /** The share of clients the version gets (default 100: everyone, at once). */
  percent?: number;
  sticky?: string;
  /** The rule for a split; false: none. */
  autoRollback?: AutoRollback | false;
}

export class Rollouts {
  constructor(
    readonly versions: VersionStore,
    readonly deployments: DeploymentStore,
  ) {}

  async deploy(worker: string, request: DeployRequest, now = Date.now()): Promise<Deployment> {
    const meta = await this.versions.meta(worker, request.version);
    const percent = request.percent ?? 100;
    if (!Number.isInteger(percent) || percent < 1 || percent > 100) throw new ControlError("invalid_split", `percent is a whole number from 1 to 100: received ${JSON.stringify(request.percent)}`);
    const rule = request.autoRollback === false ? null : checkAutoRollback(request.autoRollback ?? DEFAULT_AUTO_ROLLBACK);
    return this.#change(worker, (current) => {
      const base = current && stableVersion(current);
      if (percent < 100 && !base) throw new ControlError("invalid_split", `Worker "${worker}" serves no version yet to split with: deploy ${meta.id} at 100% first`);
      const split = percent < 100 && base !== meta.id;
      return {
        worker,
        shares: split ? [{ version: meta.id, percent }, { version: base!, percent: 100 - percent }] : [{ version: meta.id, percent: 100 }],
        sticky: request.sticky ?? current?.sticky ?? "ip",
        routes: meta.config.routes.length > 0 ? meta.config.routes : (current?.routes ?? []),
        autoRollback: split ? rule : null,
        rolledBack: null,
        deployedAt: now,
      };
    });
  }

  /** The split's new version at 100%. */
  async promote(worker: string, now = Date.now()): Promise<Deployment> {
    return this.#change(worker, (current) => {
      if (!current || current.shares.length < 2) throw new ControlError("invalid_split", `Worker "${worker}" has no gradual rollout to promote`);
      return { ...current, shares: [{ version: current.shares[0].version, percent: 100 }], autoRollback: null, rolledBack: null, deployedAt: now };
    });
  }

  /** `version` (default: the one before the current) at 100%, at once. */
  async rollback(worker: string, version?: string, now = Date.now()): Promise<Deployment> {
    const known = (await this.versions.list(worker)).map((meta) => meta.id);
    if (version !== undefined && !known.includes(version)) {
      await this.versions.meta(worker, version); // version_not_found when it never existed
      throw new ControlError("version_not_found", `Version "${version}" of "${worker}" is not among its last ${known.length} versions`);
    }
    return this.#change(worker, (current) => {
      if (!current) throw new ControlError("not_found", `Worker "${worker}" has no deployment to roll back`);
      const target = version ?? previousVersion(current, known);
      if (!target) throw new ControlError("version_not_found", `Worker "${worker}" has no version before ${current.shares[0].version} to roll back to`);
      return { ...current, shares: [{ version: target, percent: 100 }], autoRollback: null, rolledBack: null, deployedAt: now };
    });
  }

  /** Deletes the worker's versions out of its last 100 that no deployment serves; answers their ids. */
  async prune(worker: string): Promise<string[]> {
    const current = await this.deployments.get(worker);
    return this.versions.prune(worker, new Set(current?.deployment.shares.map((share) => share.version) ?? []));
  }

  /** The automatic rollback of a split, only if the split is still the one judged (`revision`). */
  async autoRollback(current: Deployment, revision: number, reason: string, now = Date.now()): Promise<boolean> {
    const [from, to] = current.shares;
    const next: Deployment = { ...current, shares: [{ version: to.version, percent: 100 }], autoRollback: null, rolledBack: { from: from.version, to: to.version, reason, at: now }, deployedAt: now };
    return (await this.deployments.set(next, revision)) !== null;
  }

  async setRoutes(worker: string, routes: unknown): Promise<Deployment> {
    if (!Array.isArray(routes) || !routes.every((route) => typeof route === "string")) throw new ControlError("bad_request", `routes is a list of route patterns: received ${JSON.stringify(routes)}`);
    try {
      new Router(routes.map((pattern: string) => ({ pattern, target: null })));
    } catch (error) {
      throw new ControlError("bad_request", (error as Error).message);
    }
    return this.#change(worker, (current) => {
      if (!current) throw new ControlError("not_found", `Worker "${worker}" has no deployment to route`);
      return { ...current, routes };
    });
  }

  async #change(worker: string, next: (current: Deployment | null) => Deployment): Promise<Deployment> {
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const stored = await this.deployments.get(worker);
      const deployment = next(stored?.deployment ?? null);
      if ((await this.deployments.set(deployment, stored?.revision ?? null)) !== null) return deployment;
    }
    throw new ControlError("contended", `The deployment of "${worker}" kept changing: ${CAS_ATTEMPTS} attempts failed`);
  }
}

/** The version a new split is measured against: the only one, or the old side of a split. */
function stableVersion(deployment: Deployment): string {
  return deployment.shares[deployment.shares.length - 1].version;
}

/** The version to roll back to: a split's old side, else the newest version uploaded before the current one. */
function previousVersion(deployment: Deployment, newestFirst: string[]): string | undefined {
  if (deployment.shares.length === 2) return deployment.shares[1].version;
  const at = newestFirst.indexOf(deployment.shares[0].version);
  return at === -1 ? undefined : newestFirst[at + 1];
}
