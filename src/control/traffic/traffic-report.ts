/**
 * @module What a PoP tells the control plane about its traffic, every
 * second, on subject `verge.traffic.<pop>`: requests, 5xx answers and
 * latency bucket counts per worker version over that second. A report with
 * no traffic still comes: it says the PoP is alive.
 */
import type { RequestLog } from "../../pop/server.js";
import type { SubstrateView } from "../../substrate/types.js";
import { BUCKET_BOUNDS, bucketIndex } from "./latency-buckets.js";

export const TRAFFIC_SUBJECT = "verge.traffic";
const INTERVAL_MS = 1000;

export interface VersionTraffic {
  worker: string;
  version: string;
  requests: number;
  /** Answers with status 500 or more. */
  errors: number;
  /** Wall time counts per bucket of latency-buckets.ts (sparse: index → count). */
  buckets: Record<number, number>;
}

export interface TrafficReport {
  pop: string;
  region: string;
  at: number;
  versions: VersionTraffic[];
}

/** Counts a PoP's requests and publishes a report every second; answers a function that stops it. */
export function reportTraffic(view: SubstrateView, onRequest: (listener: (log: RequestLog) => void) => () => void): () => void {
  let counts = new Map<string, VersionTraffic>();
  const stopListening = onRequest((log) => {
    if (log.worker === null || log.version === null) return;
    const key = `${log.worker}@${log.version}`;
    let entry = counts.get(key);
    if (!entry) counts.set(key, (entry = { worker: log.worker, version: log.version, requests: 0, errors: 0, buckets: {} }));
    entry.requests++;
    if (log.status >= 500) entry.errors++;
    const bucket = bucketIndex(log.wallMs);
    entry.buckets[bucket] = (entry.buckets[bucket] ?? 0) + 1;
  });
  const timer = setInterval(() => {
    const report: TrafficReport = { pop: view.pop, region: view.region, at: Date.now(), versions: [...counts.values()] };
    counts = new Map();
    view.publish(`${TRAFFIC_SUBJECT}.${view.pop}`, new TextEncoder().encode(JSON.stringify(report)));
  }, INTERVAL_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    stopListening();
  };
}

/** Dense bucket counts from a report's sparse ones. */
export function denseBuckets(sparse: Record<number, number>, into: number[] = new Array<number>(BUCKET_BOUNDS.length + 1).fill(0)): number[] {
  for (const [index, count] of Object.entries(sparse)) into[Number(index)] += count;
  return into;
}
