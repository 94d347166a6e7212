/**
 * @module Deploy latency (`--only deploy`): from a deploy call returning to
 * every PoP serving the new version. Three PoPs (tokyo, frankfurt, virginia)
 * follow a control plane on one embedded substrate at latency scale 1 (store
 * and control plane in virginia). Versions of a one-line worker whose answer
 * names it are uploaded first; then each is deployed in turn
 * (`POST /v1/workers/bench/deployments`), and from the moment that call
 * returns every PoP is asked `GET /` every 2 ms (the worker is the only one,
 * so it answers any host) until it answers the new body. One version is
 * deployed first, unmeasured, so that the PoPs' first load is not counted.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bundleWorker } from "../../src/bundler/index.js";
import { oneWayMs, rttMs } from "../../src/regions/index.js";
import { Client, pollUntil } from "../network/client.js";
import type { Summary } from "../network/types.js";
import { summarize } from "../stats.js";
import { HOME, startDeployPlatform, type DeployPlatform } from "./platform.js";

export const DEPLOY_POPS = ["tokyo", "frankfurt", "virginia"];
const WORKER = "bench";
const POLL_INTERVAL_MS = 2;
const CONFIG = { vars: {}, bindings: [], routes: [], crons: [] };

/** One deployment: how long the call took, then when each PoP served it, in ms from the call's return. */
export interface DeploySample {
  version: string;
  callMs: number;
  servingMs: Record<string, number>;
}

export interface DeployLatencyResult {
  pops: string[];
  /** Measured deployments (one more, unmeasured, went first). */
  deployments: number;
  /** Pause between two polls of one PoP; the figures are late by up to one poll and one request. */
  pollIntervalMs: number;
  /** The deploy call's return to the last PoP serving the version. */
  allPops: Summary;
  /** The deploy call's return to each PoP serving it. */
  perPop: Record<string, Summary>;
  /** The deploy call itself, client-side. */
  call: Summary;
  /** The latency model's one-way time from the store's region to each PoP. */
  oneWayMs: Record<string, number>;
  /** The model's time for the path a deployment takes to each PoP: the change to it, then one round trip to the store (the version's record and its code, read at once). */
  modelMs: Record<string, number>;
  /** What the PoPs' followers reported. */
  followerErrors: string[];
  samples: DeploySample[];
}

/** Bundles and uploads `count` versions of the worker, the i-th answering `v<i>`; answers their ids in order. */
async function uploadVersions(platform: DeployPlatform, scratchDir: string, count: number): Promise<string[]> {
  const dir = join(scratchDir, "deploy");
  mkdirSync(dir, { recursive: true });
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const entry = join(dir, `v${i}.js`);
    writeFileSync(entry, `export default { fetch() { return new Response("v${i}"); } };\n`);
    const { code } = await bundleWorker(entry);
    const answer = (await platform.call("POST", `/v1/workers/${WORKER}/versions`, { code, config: CONFIG }, 201)) as { version: { id: string } };
    ids.push(answer.version.id);
  }
  return ids;
}

/** Deploys `version` and answers the call's time and when each PoP answered `body`, from the call's return. */
async function deploy(platform: DeployPlatform, clients: Record<string, Client>, version: string, body: string): Promise<DeploySample> {
  const sent = performance.now();
  await platform.call("POST", `/v1/workers/${WORKER}/deployments`, { version }, 201);
  const returned = performance.now();
  const serving = Object.entries(clients).map(([name, client]) =>
    pollUntil(async () => (await client.request("/")).body === body, `version ${body} served at ${name}`, { intervalMs: POLL_INTERVAL_MS }).then((at) => [name, at - returned] as const),
  );
  return { version, callMs: returned - sent, servingMs: Object.fromEntries(await Promise.all(serving)) };
}

export async function runDeployLatency(deployments: number, scratchDir: string): Promise<DeployLatencyResult> {
  const platform = await startDeployPlatform(DEPLOY_POPS);
  const clients = Object.fromEntries(DEPLOY_POPS.map((name) => [name, new Client(platform.pops[name].url)]));
  try {
    const versions = await uploadVersions(platform, scratchDir, deployments + 1);
    const samples: DeploySample[] = [];
    for (const [i, version] of versions.entries()) {
      const sample = await deploy(platform, clients, version, `v${i}`);
      if (i > 0) samples.push(sample);
    }
    return {
      pops: DEPLOY_POPS,
      deployments,
      pollIntervalMs: POLL_INTERVAL_MS,
      allPops: summarize(samples.map((s) => Math.max(...Object.values(s.servingMs)))),
      perPop: Object.fromEntries(DEPLOY_POPS.map((name) => [name, summarize(samples.map((s) => s.servingMs[name]))])),
      call: summarize(samples.map((s) => s.callMs)),
      oneWayMs: Object.fromEntries(DEPLOY_POPS.map((name) => [name, oneWayMs(HOME, name)])),
      modelMs: Object.fromEntries(DEPLOY_POPS.map((name) => [name, oneWayMs(HOME, name) + rttMs(name, HOME)])),
      followerErrors: platform.errors,
      samples,
    };
  } finally {
    for (const client of Object.values(clients)) client.close();
    await platform.close();
  }
}
