/**
 * @module The same cold-start workers on workerd, for comparison. workerd
 * compiles every configured worker before it listens, so there is no per-request
 * cold start: we time its start-up with 1 and with N workers, then the first
 * request to each worker through a dispatcher worker (service bindings, by Host),
 * and take its per-worker memory from RSS with N workers minus RSS with 1.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { coldFigures, type ColdStartFigures } from "./cold-start.js";
import { timeSequentialGets } from "./load/sequential.js";
import { rssBytes } from "./targets/children.js";
import { startWorkerd, writeConfig, type WorkerdService, type WorkerdTarget } from "./targets/workerd.js";
import { MB, sleep } from "./stats.js";
import { coldWorkerBody, coldWorkerHost, DISPATCH_WORKER } from "./workloads.js";

export interface WorkerdColdResult {
  /** First request to each worker (already compiled at start-up), via the dispatcher. */
  firstRequest: ColdStartFigures;
  startupOneMs: number;
  startupAllMs: number;
  /** (start-up with N − start-up with 1) / (N − 1): what loading one worker costs workerd. */
  loadPerWorkerMs: number;
  rssOneMb: number;
  rssAllMb: number;
  /** (RSS with N after the requests − RSS with 1) / (N − 1). */
  perIsolateMb: number;
}

function start(dir: string, files: string[]): Promise<WorkerdTarget> {
  mkdirSync(dir, { recursive: true });
  const names = files.map((_, n) => `w${n}`);
  const services: WorkerdService[] = [{ name: "dispatch", file: DISPATCH_WORKER, bindings: names }, ...files.map((file, n) => ({ name: names[n], file }))];
  return startWorkerd(writeConfig(dir, services, "dispatch"));
}

export async function runWorkerdCold(scratchDir: string, files: string[]): Promise<WorkerdColdResult> {
  const one = await start(join(scratchDir, "workerd-cold-1"), files.slice(0, 1));
  let rssOne: number;
  try {
    await timeSequentialGets(one.url, "prime.bench", [{ host: coldWorkerHost(0), expected: coldWorkerBody(0) }]);
    await sleep(500);
    rssOne = await rssBytes(one.pid);
  } finally {
    await one.close();
  }
  const all = await start(join(scratchDir, "workerd-cold-all"), files);
  try {
    const gets = files.map((_, n) => ({ host: coldWorkerHost(n), expected: coldWorkerBody(n) }));
    const { timesMs, connections } = await timeSequentialGets(all.url, "prime.bench", gets);
    await sleep(1000);
    const rssAll = await rssBytes(all.pid);
    const others = files.length - 1;
    return {
      firstRequest: coldFigures(timesMs, connections),
      startupOneMs: one.startupMs,
      startupAllMs: all.startupMs,
      loadPerWorkerMs: (all.startupMs - one.startupMs) / others,
      rssOneMb: rssOne / MB,
      rssAllMb: rssAll / MB,
      perIsolateMb: (rssAll - rssOne) / MB / others,
    };
  } finally {
    await all.close();
  }
}
