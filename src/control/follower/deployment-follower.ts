/**
 * @module What a PoP serves, following the control plane: it watches the
 * deployments bucket (and the secrets bucket), loads the versions a
 * deployment names, and hands the PoP its workers, with the split of a
 * gradual rollout. A worker whose version cannot be loaded keeps serving
 * what it served before, and the error is reported.
 */
import { defaultLimits } from "../../limits.js";
import type { HostedWorker } from "../../pop/worker-set.js";
import type { WorkerDefinition } from "../../runtime/index.js";
import type { BucketChange, Subscription, SubstrateView } from "../../substrate/types.js";
import { SecretStore } from "../secrets/secret-store.js";
import { decodeDeployment, DeploymentStore, type Deployment } from "../store/deployment-store.js";
import { VersionStore, type Version } from "../store/version-store.js";

export interface FollowerOptions {
  view: SubstrateView;
  /** Takes the workers to serve (a PoP's `setWorkers`). */
  apply(workers: HostedWorker[], served: ServedWorker[]): void;
  /** Decrypts secrets; null: a worker with secrets is not served (and the error says why). */
  secretsKey: Buffer | null;
  onError?(message: string): void;
}

/** A worker as the PoP serves it now, with the records behind it (for cron triggers and reports). */
export interface ServedWorker {
  deployment: Deployment;
  versions: Version[];
}

export class DeploymentFollower {
  readonly #options: FollowerOptions;
  readonly #versions: VersionStore;
  readonly #deploymentStore: DeploymentStore;
  readonly #secretStore: SecretStore;
  readonly #watches: Subscription<BucketChange>[] = [];
  readonly #deployments = new Map<string, Deployment & { revision: number }>();
  readonly #loaded = new Map<string, Version>();
  readonly #secrets = new Map<string, Record<string, string>>();
  readonly #served = new Map<string, { hosted: HostedWorker; served: ServedWorker }>();
  #dirty = false;
  #applying: Promise<void> | null = null;
  #closed = false;

  private constructor(options: FollowerOptions, versions: VersionStore, deployments: DeploymentStore, secrets: SecretStore) {
    this.#options = options;
    this.#versions = versions;
    this.#deploymentStore = deployments;
    this.#secretStore = secrets;
  }

  static async start(options: FollowerOptions): Promise<DeploymentFollower> {
    const [versions, deployments, secrets] = await Promise.all([
      VersionStore.open(options.view),
      DeploymentStore.open(options.view),
      SecretStore.open(options.view, options.secretsKey),
    ]);
    const follower = new DeploymentFollower(options, versions, deployments, secrets);
    follower.#follow(await deployments.watch(), (change) => follower.#onDeployment(change));
    follower.#follow(await secrets.watch(), (change) => follower.#onSecret(change));
    // A watch says nothing when it has caught up: read every deployment once, so that what is
    // deployed is served when start() resolves (a restarted PoP answers no 404s meanwhile).
    const stored = await Promise.all((await versions.workers()).map((worker) => deployments.get(worker)));
    for (const entry of stored) if (entry) follower.#remember(entry.deployment, entry.revision);
    follower.#schedule();
    await follower.#applying;
    return follower;
  }

  #follow(watch: Subscription<BucketChange>, handle: (change: BucketChange) => void): void {
    this.#watches.push(watch);
    void (async () => {
      try {
        for await (const change of watch) handle(change);
      } catch (error) {
        if (!this.#closed) this.#report(`The watch of deployments stopped: ${(error as Error).message}`);
      }
    })();
  }

  #onDeployment(change: BucketChange): void {
    if (change.op === "delete") this.#deployments.delete(change.key);
    else {
      try {
        this.#remember(decodeDeployment(change.value), change.revision);
      } catch (error) {
        return this.#report((error as Error).message);
      }
    }
    this.#schedule();
  }

  /** Keeps the newer of what the watch and the initial read saw. */
  #remember(deployment: Deployment, revision: number): void {
    const known = this.#deployments.get(deployment.worker);
    if (known && known.revision > revision) return;
    this.#deployments.set(deployment.worker, { ...deployment, revision });
  }

  #onSecret(change: BucketChange): void {
    const worker = change.key.slice(0, change.key.indexOf("/"));
    if (!this.#secrets.delete(worker) || !this.#deployments.has(worker)) return;
    this.#schedule();
  }

  /** Coalesces changes: one apply at a time, and one more after it when something changed meanwhile. */
  #schedule(): void {
    this.#dirty = true;
    this.#applying ??= (async () => {
      while (this.#dirty && !this.#closed) {
        this.#dirty = false;
        await this.#apply();
      }
      this.#applying = null;
    })();
  }

  async #apply(): Promise<void> {
    const workers = [...this.#deployments.values()].map(({ revision: _revision, ...deployment }) => deployment);
    const built = await Promise.all(workers.map((deployment) => this.#build(deployment).catch((error: Error) => error)));
    const next = new Map<string, { hosted: HostedWorker; served: ServedWorker }>();
    for (const [i, deployment] of workers.entries()) {
      const result = built[i];
      const previous = this.#served.get(deployment.worker);
      if (result instanceof Error) {
        this.#report(`Worker "${deployment.worker}" keeps ${previous ? "its previous version" : "not being served"}: ${result.message}`);
        if (previous) next.set(deployment.worker, previous);
      } else next.set(deployment.worker, result);
    }
    if (this.#closed) return;
    try {
      this.#options.apply(
        [...next.values()].map((entry) => entry.hosted),
        [...next.values()].map((entry) => entry.served),
      );
    } catch (error) {
      return this.#report(`The deployments could not be applied: ${(error as Error).message}`);
    }
    this.#served.clear();
    for (const [worker, entry] of next) this.#served.set(worker, entry);
    const wanted = new Set([...next.values()].flatMap((entry) => entry.served.versions.map((version) => `${version.meta.worker}/${version.meta.id}`)));
    for (const key of this.#loaded.keys()) if (!wanted.has(key)) this.#loaded.delete(key);
  }

  async #build(deployment: Deployment): Promise<{ hosted: HostedWorker; served: ServedWorker }> {
    const versions = await Promise.all(deployment.shares.map((share) => this.#version(deployment.worker, share.version)));
    const secrets = await this.#secretsOf(deployment.worker);
    const definitions = versions.map((version) => definitionOf(version, secrets));
    // The version most clients get is the primary (Durable Objects run it); a 50/50 split keeps the old one there.
    const primary = deployment.shares.length === 2 && deployment.shares[0].percent > 50 ? 0 : deployment.shares.length - 1;
    const hosted: HostedWorker = { definition: definitions[primary], routes: deployment.routes, secrets };
    if (deployment.shares.length === 2) {
      const other = 1 - primary;
      hosted.split = { definition: definitions[other], percent: deployment.shares[other].percent, sticky: deployment.sticky };
    }
    return { hosted, served: { deployment, versions } };
  }

  async #version(worker: string, id: string): Promise<Version> {
    const key = `${worker}/${id}`;
    let version = this.#loaded.get(key);
    if (!version) {
      version = await this.#versions.get(worker, id);
      this.#loaded.set(key, version);
    }
    return version;
  }

  async #secretsOf(worker: string): Promise<Record<string, string>> {
    let secrets = this.#secrets.get(worker);
    if (!secrets) {
      secrets = await this.#secretStore.values(worker);
      this.#secrets.set(worker, secrets);
    }
    return secrets;
  }

  #report(message: string): void {
    this.#options.onError?.(message);
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#watches.map((watch) => watch.close()));
    await this.#applying;
    await Promise.all([this.#versions.close(), this.#deploymentStore.close(), this.#secretStore.close()]);
  }
}

/** The runtime's view of a version: its code, limits, and env (vars, then secrets). */
function definitionOf(version: Version, secrets: Record<string, string>): WorkerDefinition {
  const { config } = version.meta;
  return { name: version.meta.worker, version: version.meta.id, code: version.code, limits: defaultLimits({ cpuMs: config.cpuMs }), env: { ...config.vars, ...secrets }, bindings: config.bindings };
}
