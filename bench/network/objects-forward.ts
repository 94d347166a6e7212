/**
 * @module A Durable Object request at a PoP that does not own the object,
 * forwarded to the one that does: two PoPs (frankfurt, virginia) on one
 * embedded substrate at latency scale 1 with its store in virginia, serving
 * bench/workers/objects. The object is created at virginia first, so virginia
 * owns it; then `GET /object/read` at frankfurt (forwarded to virginia over
 * the substrate and answered back) alternates with the same request at
 * virginia, over one keep-alive connection to each, after a warm-up. The
 * extra is frankfurt's p50 minus virginia's minus the latency model's round
 * trip between the two regions: what a forward costs beyond the network.
 * The embedded substrate's own request/reply over the same path (an empty
 * handler) is timed too: its timers fire late, and that is part of the extra.
 */
import { rttMs } from "../../src/regions/index.js";
import { createEmbeddedSubstrate } from "../../src/substrate/embedded/index.js";
import { percentile, summarize } from "../stats.js";
import { alternate } from "./client.js";
import { callObject } from "./objects.js";
import { OBJECTS_WORKER_DIR, startEmbeddedPops } from "./setup.js";
import type { Summary } from "./types.js";

const FROM = "frankfurt";
const OWNER = "virginia";
/** Unmeasured rounds first: the first forward finds the owner, later ones reuse what it set up. */
const WARMUP = 3;
/** Request/reply round trips timed on the bare substrate. */
const BARE_SAMPLES = 10;

export interface ObjectForwardResult {
  /** Measured requests at each PoP. */
  requests: number;
  warmup: number;
  /** The PoP whose requests are forwarded, and the owner. */
  from: string;
  owner: string;
  /** Client-side ms of `GET /object/read` at `from` (forwarded). */
  forwarded: Summary;
  /** Client-side ms of `GET /object/read` at `owner`. */
  local: Summary;
  /** The latency model's round trip between the two regions. */
  modelRttMs: number;
  /** forwarded p50 − local p50 − modelRttMs. */
  extraP50Ms: number;
  /** The bare embedded substrate's request/reply from `from` to `owner` (empty handler): p50 minus modelRttMs. */
  substrateOverheadP50Ms: number;
}

/** p50 of a request/reply from `from` to `owner` (PoPs named after their regions) on a bare embedded substrate at latency scale 1, minus the model's round trip. */
export async function bareSubstrateOverheadMs(from: string, owner: string): Promise<number> {
  const substrate = createEmbeddedSubstrate({ latencyScale: 1, home: owner });
  try {
    const server = await substrate.forPop(owner, { region: owner }).serve("bench.echo", () => Promise.resolve(new Uint8Array(0)));
    const view = substrate.forPop(from, { region: from });
    const times: number[] = [];
    for (let i = 0; i < BARE_SAMPLES; i++) {
      const started = performance.now();
      await view.request("bench.echo", new Uint8Array(0), { timeoutMs: 5000 });
      times.push(performance.now() - started);
    }
    await server.close();
    return percentile(times, 50) - rttMs(from, owner);
  } finally {
    await substrate.close();
  }
}

export async function runObjectForward(requests: number): Promise<ObjectForwardResult> {
  const net = await startEmbeddedPops([FROM, OWNER], { latencyScale: 1, home: OWNER, worker: OBJECTS_WORKER_DIR });
  let measured: Omit<ObjectForwardResult, "substrateOverheadP50Ms">;
  try {
    const { instance } = await callObject(net.clients[OWNER], "increment");
    const times = await alternate({ forwarded: () => callObject(net.clients[FROM], "read", instance), local: () => callObject(net.clients[OWNER], "read", instance) }, requests, WARMUP);
    const forwarded = summarize(times.forwarded);
    const local = summarize(times.local);
    const modelRttMs = rttMs(FROM, OWNER);
    measured = { requests, warmup: WARMUP, from: FROM, owner: OWNER, forwarded, local, modelRttMs, extraP50Ms: forwarded.p50 - local.p50 - modelRttMs };
  } finally {
    await net.close();
  }
  // Once the PoPs are gone, so that only the substrate's own timers run.
  return { ...measured, substrateOverheadP50Ms: await bareSubstrateOverheadMs(FROM, OWNER) };
}
