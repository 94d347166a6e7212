/**
 * @module Deployments in the substrate bucket `verge-deployments`, one record
 * per worker (key: the worker's name): which versions serve it and what
 * share of clients each gets. PoPs watch the bucket and serve what it names;
 * the control plane changes it by compare-and-set, so two deploys racing
 * cannot both think they won.
 */
import type { Bucket, BucketChange, Subscription, SubstrateView } from "../../substrate/types.js";
import { ControlError } from "../errors.js";
import { checkVersionId, checkWorkerName } from "./names.js";

export const DEPLOYMENTS_BUCKET = "verge-deployments";

/** One version of a deployment and the percentage of clients it serves. */
export interface Share {
  version: string;
  percent: number;
}

export interface Deployment {
  worker: string;
  /** One version at 100, or two splitting 100 (the new one first, during a gradual rollout). */
  shares: Share[];
  /** What keeps a client on one version: its address ("ip"), or a request header ("header:<name>"). */
  sticky: string;
  /** wrangler route patterns; none: the worker is reached at `<worker>.localhost` (and as the PoP's fallback when it is the only one). */
  routes: string[];
  /** When a split's new version is rolled back by itself; null: never. */
  autoRollback: AutoRollback | null;
  /** Set when the control plane rolled a split back by itself, and why. */
  rolledBack: RolledBack | null;
  deployedAt: number;
}

/** The rule of automatic rollback: compare 5xx rates of a split's two versions over a window. */
export interface AutoRollback {
  windowSeconds: number;
  /** Roll back when the new version's 5xx rate exceeds the old one's by more than this many percentage points. */
  marginPercent: number;
  /** Requests the new version must have served in the window before it is judged. */
  minRequests: number;
}

export interface RolledBack {
  from: string;
  to: string;
  reason: string;
  at: number;
}

/** A deployment as stored, with the revision a compare-and-set must name. */
export interface StoredDeployment {
  deployment: Deployment;
  revision: number;
}

const STICKY = /^(ip|header:[a-z0-9-]{1,64})$/;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Checks a deployment's worker, shares and sticky key; answers it. */
export function checkDeployment(deployment: Deployment): Deployment {
  checkWorkerName(deployment.worker);
  const { shares } = deployment;
  const described = JSON.stringify(shares);
  if (!Array.isArray(shares) || shares.length < 1 || shares.length > 2) throw new ControlError("invalid_split", `A deployment serves one or two versions: received ${described}`);
  for (const share of shares) {
    checkVersionId(share.version);
    if (!Number.isInteger(share.percent) || share.percent < 1 || share.percent > 100) throw new ControlError("invalid_split", `A version's share is a whole percentage from 1 to 100: received ${described}`);
  }
  if (shares.reduce((sum, share) => sum + share.percent, 0) !== 100) throw new ControlError("invalid_split", `The shares of a deployment add up to 100: received ${described}`);
  if (shares.length === 2 && shares[0].version === shares[1].version) throw new ControlError("invalid_split", `A split names two different versions: received ${described}`);
  if (typeof deployment.sticky !== "string" || !STICKY.test(deployment.sticky)) {
    throw new ControlError("invalid_split", `The sticky key is "ip" or "header:<lowercase header name>": received ${JSON.stringify(deployment.sticky)}`);
  }
  if (!Array.isArray(deployment.routes) || !deployment.routes.every((route) => typeof route === "string")) throw new ControlError("invalid_split", `Routes are a list of patterns: received ${JSON.stringify(deployment.routes)}`);
  if (deployment.autoRollback !== null) checkAutoRollback(deployment.autoRollback);
  return deployment;
}

/** Checks an automatic-rollback rule; answers it. */
export function checkAutoRollback(rule: AutoRollback): AutoRollback {
  const described = JSON.stringify(rule);
  const whole = (value: unknown, min: number, max: number) => Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
  if (typeof rule !== "object" || rule === null) throw new ControlError("invalid_split", `autoRollback is an object or false: received ${described}`);
  if (!whole(rule.windowSeconds, 5, 3600)) throw new ControlError("invalid_split", `autoRollback.windowSeconds is a whole number from 5 to 3600: received ${described}`);
  if (typeof rule.marginPercent !== "number" || !(rule.marginPercent >= 0 && rule.marginPercent <= 100)) throw new ControlError("invalid_split", `autoRollback.marginPercent is from 0 to 100: received ${described}`);
  if (!whole(rule.minRequests, 1, 1_000_000)) throw new ControlError("invalid_split", `autoRollback.minRequests is a whole number from 1 to 1000000: received ${described}`);
  return rule;
}

export class DeploymentStore {
  readonly #bucket: Bucket;

  private constructor(bucket: Bucket) {
    this.#bucket = bucket;
  }

  static async open(view: SubstrateView): Promise<DeploymentStore> {
    return new DeploymentStore(await view.bucket(DEPLOYMENTS_BUCKET));
  }

  async get(worker: string): Promise<StoredDeployment | null> {
    checkWorkerName(worker);
    const entry = await this.#bucket.get(worker);
    return entry && { deployment: decodeDeployment(entry.value), revision: entry.revision };
  }

  /**
   * Writes `deployment` if the stored one is still at `expectedRevision`
   * (null: none yet); answers the new revision, or null when another write
   * came first.
   */
  async set(deployment: Deployment, expectedRevision: number | null): Promise<number | null> {
    checkDeployment(deployment);
    const result = await this.#bucket.compareAndSet(deployment.worker, encoder.encode(JSON.stringify(deployment)), expectedRevision);
    return result.ok ? result.revision : null;
  }

  /** Every worker's current deployment, then each change (a deleted worker's key comes as a `delete`). */
  watch(): Promise<Subscription<BucketChange>> {
    return this.#bucket.watch("");
  }

  async close(): Promise<void> {
    await this.#bucket.close();
  }
}

export function decodeDeployment(value: Uint8Array): Deployment {
  try {
    return checkDeployment(JSON.parse(decoder.decode(value)) as Deployment);
  } catch (cause) {
    throw new ControlError("corrupt_record", `A stored deployment could not be decoded: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}
