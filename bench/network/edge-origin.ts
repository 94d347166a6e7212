/**
 * @module "Edge versus origin, by region", measured on the embedded network at
 * latency scale 1: one in-process PoP in each of a handful of regions, and the
 * simulated origin of `verge dev --origin virginia` (src/cli/simulated-origin.ts:
 * it answers after the model's round trip from the calling PoP, named by the
 * `x-verge-pop` its PoP adds). A client in each region asks its own region's
 * PoP, with `x-verge-client-region` so the PoP adds the model's last mile, for
 * an answer from KV, one from the PoP's cache, and one from the origin (through
 * the PoP, not cached). The PoP's own overhead is a request's wall time minus
 * the model's delays on its path; it includes the client's loopback round trip
 * and how late the model's timers fire, which is measured on its own too.
 */
import { startSimulatedOrigin } from "../../src/cli/simulated-origin.js";
import { delayResponse } from "../../src/pop/client-latency.js";
import { clientRttMs, rttMs } from "../../src/regions/index.js";
import { percentile } from "../stats.js";
import { pollUntil, type Client } from "./client.js";
import { startEmbeddedPops } from "./setup.js";

export const EDGE_REGIONS = ["tokyo", "frankfurt", "virginia", "saopaulo", "sydney"];
const ORIGIN_REGION = "virginia";
const KEY = "edge-greeting";

type Kind = "kv" | "cache" | "origin";

const PATHS: Record<Kind, string> = { kv: `/kv/${KEY}`, cache: "/cached/edge-asset", origin: "/origin/page" };

/** One client region's row: p50 wall times, the model's delays, and the PoP's overhead (p50 of wall − model). */
export interface EdgeRow {
  client: string;
  pop: string;
  samples: number;
  /** p50 client-side ms of each kind of answer. */
  p50Ms: Record<Kind, number>;
  /** The model's delays on each path: the last mile for an edge answer, plus the PoP ↔ origin round trip for the origin's. */
  modelMs: { edge: number; origin: number };
  /** p50 of (wall − model) per kind. */
  overheadP50Ms: Record<Kind, number>;
}

export interface EdgeResult {
  originRegion: string;
  rows: EdgeRow[];
  /** The largest p50 overhead over every region, of answers from the edge (KV, cache). */
  worstEdgeOverheadP50Ms: number;
  /** The largest p50 overhead over every region, of answers from the origin. */
  worstOriginOverheadP50Ms: number;
  /** p50 of how late the PoP's own delay (the 4 ms last mile) fires, part of every overhead above. */
  timerLatenessP50Ms: number;
}

/** How late `delayResponse` (the PoP's client-latency timer) fires for the last mile, p50 of 20. */
async function timerLateness(ms: number): Promise<number> {
  const late: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    await delayResponse(ms);
    late.push(performance.now() - started - ms);
  }
  return percentile(late, 50);
}

/** Times `samples` requests of each kind, in turn, from a client in `region` to its own PoP. */
async function measureRegion(region: string, client: Client, samples: number): Promise<EdgeRow> {
  const headers = { "x-verge-client-region": region };
  const modelMs = { edge: clientRttMs(region, region), origin: clientRttMs(region, region) + rttMs(region, ORIGIN_REGION) };
  const model: Record<Kind, number> = { kv: modelMs.edge, cache: modelMs.edge, origin: modelMs.origin };
  const times: Record<Kind, number[]> = { kv: [], cache: [], origin: [] };
  // One kind after the other: a request right after a long origin wait finds a colder machine, which is not the PoP's doing.
  for (const kind of ["kv", "cache", "origin"] as const) {
    for (let i = 0; i < samples; i++) {
      const answer = await client.expect(PATHS[kind], 200, { headers });
      if (kind === "cache" && answer.headers["x-cache"] !== "HIT") throw new Error(`${region}: the cached asset answered cf-cache-status ${String(answer.headers["x-cache"])}, expected HIT`);
      times[kind].push(answer.ms);
    }
  }
  const p50 = (kind: Kind) => percentile(times[kind], 50);
  const overhead = (kind: Kind) => percentile(times[kind].map((ms) => ms - model[kind]), 50);
  return {
    client: region,
    pop: region,
    samples,
    p50Ms: { kv: p50("kv"), cache: p50("cache"), origin: p50("origin") },
    modelMs,
    overheadP50Ms: { kv: overhead("kv"), cache: overhead("cache"), origin: overhead("origin") },
  };
}

export async function runEdgeOrigin(samples: number): Promise<EdgeResult> {
  const origin = await startSimulatedOrigin(ORIGIN_REGION);
  try {
    const net = await startEmbeddedPops(EDGE_REGIONS, { latencyScale: 1, home: ORIGIN_REGION, origin: origin.url, vars: { ORIGIN: origin.url } });
    try {
      // The KV value is written once and read everywhere; the asset is cached at each PoP; every isolate is warm.
      await net.clients[ORIGIN_REGION].expect(PATHS.kv, 200, { method: "PUT", body: "hello from the edge" });
      for (const region of EDGE_REGIONS) {
        const client = net.clients[region];
        await pollUntil(async () => (await client.request(PATHS.kv)).status === 200, `the KV value at ${region}`, { intervalMs: 5 });
        for (const kind of ["cache", "origin"] as const) await client.expect(PATHS[kind], 200);
      }
      // One region after the other: requests side by side in this one process would wait on each other and blur the overhead.
      const rows: EdgeRow[] = [];
      for (const region of EDGE_REGIONS) rows.push(await measureRegion(region, net.clients[region], samples));
      return {
        originRegion: ORIGIN_REGION,
        rows,
        worstEdgeOverheadP50Ms: Math.max(...rows.flatMap((row) => [row.overheadP50Ms.kv, row.overheadP50Ms.cache])),
        worstOriginOverheadP50Ms: Math.max(...rows.map((row) => row.overheadP50Ms.origin)),
        timerLatenessP50Ms: await timerLateness(clientRttMs(ORIGIN_REGION, ORIGIN_REGION)),
      };
    } finally {
      await net.close();
    }
  } finally {
    await origin.close();
  }
}
