/**
 * @module The control plane's view of the network's traffic: the last hour
 * of every PoP's reports, summed per PoP and worker version over any window
 * up to that (60 s by default). Feeds `GET /v1/pops`, the dashboard and automatic rollback.
 */
import { region as regionInfo, isRegionName } from "../../regions/index.js";
import type { Subscription, SubstrateView, Message } from "../../substrate/types.js";
import { readJsonMessage } from "../json-message.js";
import { BUCKET_BOUNDS, quantile } from "./latency-buckets.js";
import { denseBuckets, TRAFFIC_SUBJECT, type TrafficReport } from "./traffic-report.js";

const KEPT_MS = 3600_000;
const DEFAULT_WINDOW_S = 60;

/** A worker version's traffic over a window, as the API answers it. */
export interface WorkerTraffic {
  worker: string;
  version: string;
  requests: number;
  errors: number;
  rps: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

export interface PopStatus {
  name: string;
  region: string;
  latitude: number | null;
  longitude: number | null;
  lastSeen: number;
  workers: WorkerTraffic[];
}

export class TrafficWindow {
  readonly #reports = new Map<string, TrafficReport[]>();
  #subscription: Subscription<Message> | null = null;

  static async start(view: SubstrateView): Promise<TrafficWindow> {
    const window = new TrafficWindow();
    window.#subscription = await view.subscribe(`${TRAFFIC_SUBJECT}.*`);
    void window.#read(window.#subscription);
    return window;
  }

  async #read(subscription: Subscription<Message>): Promise<void> {
    try {
      for await (const message of subscription) {
        const report = readJsonMessage<TrafficReport>(message, (value) => typeof value.pop === "string" && typeof value.region === "string" && typeof value.at === "number" && Array.isArray(value.versions));
        if (report) this.add(report);
      }
    } catch {
      // Closed with the control plane.
    }
  }

  add(report: TrafficReport): void {
    let reports = this.#reports.get(report.pop);
    if (!reports) this.#reports.set(report.pop, (reports = []));
    reports.push(report);
    const horizon = report.at - KEPT_MS;
    while (reports.length > 0 && reports[0].at < horizon) reports.shift();
  }

  /** Every PoP heard from in the last hour, with its traffic over the last `windowS` seconds. */
  pops(windowS = DEFAULT_WINDOW_S, now = Date.now()): PopStatus[] {
    return [...this.#reports.entries()]
      .map(([name, reports]) => {
        const last = reports[reports.length - 1];
        const place = isRegionName(last.region) ? regionInfo(last.region) : null;
        return { name, region: last.region, latitude: place?.latitude ?? null, longitude: place?.longitude ?? null, lastSeen: last.at, workers: this.#sum(reports, windowS, now) };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** One worker's traffic per PoP. */
  worker(worker: string, windowS = DEFAULT_WINDOW_S, now = Date.now()): { pop: string; versions: WorkerTraffic[] }[] {
    return this.pops(windowS, now).map((pop) => ({ pop: pop.name, versions: pop.workers.filter((w) => w.worker === worker) }));
  }

  /** One version's requests and 5xx answers across every PoP over the window. */
  totals(worker: string, version: string, windowS: number, now = Date.now()): { requests: number; errors: number } {
    let requests = 0;
    let errors = 0;
    for (const pop of this.pops(windowS, now)) {
      for (const traffic of pop.workers) {
        if (traffic.worker === worker && traffic.version === version) {
          requests += traffic.requests;
          errors += traffic.errors;
        }
      }
    }
    return { requests, errors };
  }

  #sum(reports: TrafficReport[], windowS: number, now: number): WorkerTraffic[] {
    const since = now - windowS * 1000;
    const sums = new Map<string, { worker: string; version: string; requests: number; errors: number; buckets: number[] }>();
    for (const report of reports) {
      if (report.at <= since) continue;
      for (const traffic of report.versions) {
        const key = `${traffic.worker}@${traffic.version}`;
        let sum = sums.get(key);
        if (!sum) sums.set(key, (sum = { worker: traffic.worker, version: traffic.version, requests: 0, errors: 0, buckets: new Array<number>(BUCKET_BOUNDS.length + 1).fill(0) }));
        sum.requests += traffic.requests;
        sum.errors += traffic.errors;
        denseBuckets(traffic.buckets, sum.buckets);
      }
    }
    return [...sums.values()].map(({ buckets, ...sum }) => ({ ...sum, rps: Number((sum.requests / windowS).toFixed(2)), p50Ms: quantile(buckets, 0.5), p99Ms: quantile(buckets, 0.99) }));
  }

  async close(): Promise<void> {
    await this.#subscription?.close();
  }
}
