/**
 * @module Transactions per second on one Durable Object: `TX_IN_FLIGHT`
 * keep-alive connections to the PoP that owns it, each sending `POST
 * /object/increment` (a read and a write of one key, answered once the write
 * is durable) back to back, for a warm-up and then a measured time. Every
 * increment must come from the one instance, and the count must end exactly
 * at the number sent. Embedded: one PoP on an embedded substrate at latency
 * scale 0 (no delay, still asynchronous); NATS: two `verge pop` processes on
 * a real nats-server, as in the write run (objects-write-nats.ts), the client
 * at the owner.
 */
import { summarize } from "../stats.js";
import { Client } from "./client.js";
import { callObject } from "./objects.js";
import { OBJECT_NATS_OWNER, OBJECT_NATS_POPS } from "./objects-write-nats.js";
import { startNatsPops } from "./pop-process.js";
import { OBJECTS_WORKER_DIR, startEmbeddedPops } from "./setup.js";
import type { Summary } from "./types.js";

/** Increments under way at once. */
export const TX_IN_FLIGHT = 64;

export interface ObjectTxResult {
  backend: "embedded" | "nats";
  natsServer?: string;
  inFlight: number;
  warmupS: number;
  /** Wall time of the measured part, from its first increment sent to its last answered. */
  seconds: number;
  /** Increments answered in the measured part. */
  transactions: number;
  txPerS: number;
  /** Client-side ms of each measured increment, under this load. */
  latency: Summary;
}

/** Increments from `TX_IN_FLIGHT` connections to `url` for `warmupS`, then for `seconds` measured; checks the count. */
export async function measureTx(url: string, seconds: number, warmupS: number): Promise<Omit<ObjectTxResult, "backend" | "natsServer">> {
  const probe = new Client(url);
  const clients = Array.from({ length: TX_IN_FLIGHT }, () => new Client(url));
  try {
    const before = await callObject(probe, "increment");
    const load = async (ms: number, times?: number[]) => {
      const until = performance.now() + ms;
      let answered = 0;
      await Promise.all(
        clients.map(async (client) => {
          while (performance.now() < until) {
            const answer = await callObject(client, "increment", before.instance);
            times?.push(answer.ms);
            answered++;
          }
        }),
      );
      return answered;
    };
    const warm = await load(warmupS * 1000);
    const times: number[] = [];
    const started = performance.now();
    const transactions = await load(seconds * 1000, times);
    const wallS = (performance.now() - started) / 1000;
    const after = await callObject(probe, "read", before.instance);
    const expected = before.n + warm + transactions;
    if (after.n !== expected) throw new Error(`the count is ${after.n} after ${warm + transactions} increments from ${before.n}: expected ${expected}`);
    return { inFlight: TX_IN_FLIGHT, warmupS, seconds: wallS, transactions, txPerS: transactions / wallS, latency: summarize(times) };
  } finally {
    for (const client of [probe, ...clients]) client.close();
  }
}

export async function runObjectTxEmbedded(seconds: number, warmupS: number): Promise<ObjectTxResult> {
  const net = await startEmbeddedPops(["virginia"], { latencyScale: 0, worker: OBJECTS_WORKER_DIR });
  try {
    return { backend: "embedded", ...(await measureTx(net.pops.virginia.url, seconds, warmupS)) };
  } finally {
    await net.close();
  }
}

export async function runObjectTxNats(seconds: number, warmupS: number): Promise<ObjectTxResult> {
  const cluster = await startNatsPops(OBJECTS_WORKER_DIR, OBJECT_NATS_POPS);
  try {
    return { backend: "nats", natsServer: cluster.nats.version, ...(await measureTx(cluster.pops[OBJECT_NATS_OWNER].url, seconds, warmupS)) };
  } finally {
    await cluster.close();
  }
}
