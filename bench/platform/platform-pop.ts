/**
 * @module A PoP as `verge start` runs it, inside the Verge bench child
 * (bench/targets/verge-child.ts with `platform: true`): an embedded substrate
 * at latency scale 1, a control plane on it in the same process, the PoP
 * following it (`followControlPlane`: its traffic report, its tail publisher
 * with no tail open, its deployment follower) and measured by
 * `PopMetrics.attach`. Workers are deployed through the control API, so the
 * PoP serves them as it serves a `verge deploy`. Verge is loaded from dist/,
 * as in the child.
 */
import { randomBytes } from "node:crypto";
import type { Pop, PopOptions } from "../../src/pop/server.js";
import type { BenchWorker } from "../targets/verge-child.js";

const dist = (path: string) => new URL(`../../dist/${path}`, import.meta.url).href;
const { Pop: PopClass } = (await import(dist("pop/server.js"))) as typeof import("../../src/pop/server.js");
const { ControlPlane } = (await import(dist("control/control-plane.js"))) as typeof import("../../src/control/control-plane.js");
const { followControlPlane } = (await import(dist("control/follower/pop-follower.js"))) as typeof import("../../src/control/follower/pop-follower.js");
const { PopMetrics } = (await import(dist("observe/metrics/index.js"))) as typeof import("../../src/observe/metrics/index.js");
const { createEmbeddedSubstrate } = (await import(dist("substrate/embedded/index.js"))) as typeof import("../../src/substrate/embedded/index.js");

/** The PoP's region, where the store and the control plane stand too. */
const REGION = "virginia";
const SERVED_WITHIN_MS = 10_000;

/** What the platform saw of the load: requests counted by the PoP's metrics, and by the traffic reports the control plane received. */
export interface PlatformCounts {
  metricsRequests: number;
  reportedRequests: number;
  followerErrors: string[];
}

export interface PlatformPop {
  readonly pop: Pop;
  /** Uploads each worker as a version (its routes in its config) and deploys it; resolves once the PoP serves them all. */
  deploy(workers: BenchWorker[]): Promise<void>;
  counts(): Promise<PlatformCounts>;
  close(): Promise<void>;
}

export async function startPlatformPop(options: Omit<PopOptions, "name" | "region" | "substrate">): Promise<PlatformPop> {
  const substrate = createEmbeddedSubstrate({ home: REGION });
  const secretsKey = randomBytes(32);
  const errors: string[] = [];
  const closers: (() => Promise<void> | void)[] = [() => substrate.close()];
  const close = async () => {
    for (const closer of closers.splice(0).reverse()) await closer();
  };
  try {
    const control = await ControlPlane.start({ view: substrate.forPop("control", { region: REGION }), port: 0, secretsKey });
    closers.push(() => control.close());
    const pop = await PopClass.start({ ...options, name: REGION, region: REGION, substrate: substrate.forPop(REGION, { region: REGION }) });
    closers.push(() => pop.close(1000));
    const follower = await followControlPlane(pop, { secretsKey, onError: (message) => errors.push(message) });
    closers.push(() => follower.close());
    const metrics = PopMetrics.attach(pop);
    closers.push(() => metrics.close());
    const token = await control.bootstrapToken();
    const call = async (path: string, body: unknown) => {
      const res = await fetch(`${control.url}/v1/workers/${path}`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
      const text = await res.text();
      if (res.status !== 201) throw new Error(`POST /v1/workers/${path} answered ${res.status} ${text.slice(0, 200)}`);
      return JSON.parse(text) as Record<string, { id: string }>;
    };
    return {
      pop,
      async deploy(workers) {
        for (const worker of workers) {
          const { version } = await call(`${worker.name}/versions`, { code: worker.code, config: { vars: {}, bindings: [], routes: worker.routes, crons: [] } });
          await call(`${worker.name}/deployments`, { version: version.id });
          await servedWithin(() => pop.workers.get(worker.name)?.definition.version === version.id, `${worker.name} version ${version.id}`, errors);
        }
      },
      async counts() {
        const requests = (await metrics.registry.getSingleMetric("verge_requests_total")?.get())?.values.reduce((sum, each) => sum + each.value, 0) ?? 0;
        const reported = control.services.traffic.pops(3600).flatMap((each) => each.workers);
        return { metricsRequests: requests, reportedRequests: reported.reduce((sum, each) => sum + each.requests, 0), followerErrors: [...errors] };
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Waits (bounded) until `served()`; fails with what the follower reported. */
async function servedWithin(served: () => boolean, what: string, errors: string[]): Promise<void> {
  const deadline = Date.now() + SERVED_WITHIN_MS;
  while (!served()) {
    if (Date.now() > deadline) throw new Error(`The PoP did not serve ${what} within ${SERVED_WITHIN_MS} ms${errors.length > 0 ? `: ${errors.join("; ")}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
