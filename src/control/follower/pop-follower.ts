/**
 * @module Everything a PoP does for the control plane: serve what is
 * deployed (DeploymentFollower), run the deployed crons once per tick across
 * the network, report its traffic every second, and publish request records
 * while someone tails a worker. One call sets it all up on a started PoP.
 */
import { CronRunner, type CronRunReport } from "../../cron/index.js";
import type { Pop } from "../../pop/server.js";
import { publishTails } from "../tail/tail-publisher.js";
import { reportTraffic } from "../traffic/traffic-report.js";
import { DeploymentFollower, type ServedWorker } from "./deployment-follower.js";

export interface PopFollowerOptions {
  secretsKey: Buffer | null;
  /** A worker that cannot be served (its version does not load, a secret cannot be decrypted). */
  onError?(message: string): void;
  /** A cron tick this PoP ran. */
  onCron?(report: CronRunReport): void;
}

export interface PopFollower {
  readonly deployments: DeploymentFollower;
  close(): Promise<void>;
}

export async function followControlPlane(pop: Pop, options: PopFollowerOptions): Promise<PopFollower> {
  const view = pop.substrate;
  if (!view) throw new TypeError(`PoP "${pop.name}" has no substrate: it cannot follow the control plane`);
  const report = (message: string) => options.onError?.(`pop ${pop.name}: ${message}`);
  const cron = new CronRunner({
    substrate: view,
    onRun: (run) => {
      for (const line of run.logs) line.message = pop.workers.redact(run.worker, line.message);
      options.onCron?.(run);
    },
  });
  const applyCrons = (served: ServedWorker[]) => {
    const jobs = served.flatMap(({ deployment }) => {
      const runtime = pop.workers.get(deployment.worker);
      return runtime && runtime.definition.version !== undefined ? [{ worker: deployment.worker, version: runtime.definition.version, crons: cronsOf(served, deployment.worker, runtime.definition.version), runtime }] : [];
    });
    cron.setJobs(jobs.filter((job) => job.crons.length > 0));
  };
  const deployments = await DeploymentFollower.start({
    view,
    secretsKey: options.secretsKey,
    onError: report,
    apply(workers, served) {
      pop.setWorkers(workers);
      try {
        applyCrons(served);
      } catch (error) {
        report(`cron triggers not applied: ${(error as Error).message}`);
      }
    },
  });
  const stopTraffic = reportTraffic(view, (listener) => pop.onRequest(listener));
  const stopTails = await publishTails(view, (listener) => pop.onRequest(listener));
  return {
    deployments,
    async close() {
      stopTraffic();
      await stopTails();
      await cron.close();
      await deployments.close();
    },
  };
}

/** The crons of the version the PoP runs them on (the primary). */
function cronsOf(served: ServedWorker[], worker: string, version: string): string[] {
  const entry = served.find((each) => each.deployment.worker === worker);
  return entry?.versions.find((each) => each.meta.id === version)?.meta.config.crons ?? [];
}
