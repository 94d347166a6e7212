/**
 * @module Cold start and idle memory on Verge: N distinct bundles, each routed
 * by its own hostname, requested once each in sequence over one keep-alive
 * connection; then the PoP's RSS with all N isolates loaded and idle, minus
 * its RSS before any was loaded (eviction off).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bundleWorker } from "../src/bundler/index.js";
import { timeSequentialGets } from "./load/sequential.js";
import { rssBytes } from "./targets/children.js";
import { startVerge, type BenchWorker } from "./targets/verge.js";
import { MB, sleep, summarize } from "./stats.js";
import { coldWorkerBody, coldWorkerHost, coldWorkerSource } from "./workloads.js";

export interface ColdStartFigures {
  workers: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
  /** TCP connections the sequence used (1: keep-alive held). */
  connections: number;
  timesMs: number[];
}

export interface MemoryFigures {
  rssBeforeMb: number;
  rssAfterMb: number;
  /** (after − before) / workers. */
  perIsolateMb: number;
  /** V8 heap in use per isolate (used + external), as the isolates report it. */
  heapPerIsolateMb?: number;
  loaded?: number;
}

export interface VergeColdResult {
  cold: ColdStartFigures;
  memory: MemoryFigures;
}

/** Writes and bundles the N cold-start workers (distinct constants, so distinct bundles). */
export async function coldWorkerFiles(dir: string, count: number): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files = Array.from({ length: count }, (_, n) => join(dir, `w${n}.js`));
  files.forEach((file, n) => writeFileSync(file, coldWorkerSource(n)));
  return files;
}

async function bundleAll(files: string[]): Promise<BenchWorker[]> {
  const workers: BenchWorker[] = [];
  for (let i = 0; i < files.length; i += 25) {
    const bundles = await Promise.all(files.slice(i, i + 25).map((file) => bundleWorker(file)));
    bundles.forEach(({ code }, j) => workers.push({ name: `w${i + j}`, code, routes: [`${coldWorkerHost(i + j)}/*`] }));
  }
  return workers;
}

export function coldFigures(timesMs: number[], connections: number): ColdStartFigures {
  const s = summarize(timesMs);
  return { workers: timesMs.length, p50Ms: s.p50, p99Ms: s.p99, meanMs: s.mean, maxMs: s.max, connections, timesMs };
}

export async function runVergeCold(files: string[], poolSize: number | undefined): Promise<VergeColdResult> {
  const workers = await bundleAll(files);
  const verge = await startVerge({ poolSize, eviction: { idleMs: 3_600_000, maxLoaded: 10_000 } });
  try {
    await verge.setWorkers(workers);
    await sleep(500);
    await verge.gc();
    const before = await rssBytes(verge.pid);
    const gets = workers.map((_, n) => ({ host: coldWorkerHost(n), expected: coldWorkerBody(n) }));
    const { timesMs, connections } = await timeSequentialGets(verge.url, "prime.bench", gets);
    await sleep(1000);
    await verge.gc();
    const after = await rssBytes(verge.pid);
    const stats = await verge.stats();
    return {
      cold: coldFigures(timesMs, connections),
      memory: {
        rssBeforeMb: before / MB,
        rssAfterMb: after / MB,
        perIsolateMb: (after - before) / MB / workers.length,
        heapPerIsolateMb: stats.loaded > 0 ? stats.heapBytes / MB / stats.loaded : undefined,
        loaded: stats.loaded,
      },
    };
  } finally {
    await verge.close();
  }
}
