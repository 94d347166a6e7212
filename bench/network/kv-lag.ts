/**
 * @module KV propagation lag to every PoP. Writes go through the worker
 * (`PUT /kv/<key>`) at each PoP in turn; from the moment a write is sent,
 * every PoP (the writer too) is polled with `GET /kv/<key>` until it answers
 * the new value. A write's lag is the time until the last PoP has it. The
 * embedded run stands three in-process PoPs (tokyo, frankfurt, virginia) on
 * one embedded substrate at latency scale 1 with its store in virginia, and
 * gives the latency model's figure for each writer next to the measured ones.
 */
import { oneWayMs } from "../../src/regions/index.js";
import { sleep, summarize } from "../stats.js";
import { Client, pollUntil } from "./client.js";
import { startEmbeddedPops } from "./setup.js";
import type { Summary } from "./types.js";

export const LAG_POPS = ["tokyo", "frankfurt", "virginia"];
const HOME = "virginia";

/** One write: who wrote it, when it was acknowledged and when each PoP answered it, in ms from sending it. */
export interface LagSample {
  writer: string;
  ackMs: number;
  visibleMs: Record<string, number>;
}

export interface LagResult {
  backend: "embedded" | "nats";
  pops: string[];
  writes: number;
  /** Sending a write to the last PoP answering it. */
  allPops: Summary;
  /** Sending a write to each PoP answering it (the writer: once acknowledged and read back). */
  perPop: Record<string, Summary>;
  /** Sending a write to its acknowledgement (durable in the substrate). */
  ack: Summary;
  /** Pause between two polls of one PoP (0: back to back); the figures are late by up to one poll. */
  pollIntervalMs: number;
  /** The latency model's time to every PoP for a write at each PoP (embedded only). */
  modelMs?: Record<string, number>;
  samples: LagSample[];
}

/**
 * The latency model's time from a write at `writer` until every PoP has it:
 * the writer reads it once the store's acknowledgement is back, the others
 * once the store's stream delivers it to them.
 */
export function modelLagMs(writer: string, pops: string[], home: string): number {
  const toStore = oneWayMs(writer, home);
  return Math.max(2 * toStore, ...pops.filter((pop) => pop !== writer).map((pop) => toStore + oneWayMs(home, pop)));
}

/** Writes `writes` keys (at each PoP of `urls` in turn) and times their arrival everywhere. */
export async function measureKvLag(urls: Record<string, string>, writes: number, options: { pollIntervalMs: number; timeoutMs?: number }): Promise<{ samples: LagSample[]; allPops: Summary; perPop: Record<string, Summary>; ack: Summary }> {
  const names = Object.keys(urls);
  const writers = Object.fromEntries(names.map((name) => [name, new Client(urls[name])]));
  const readers = Object.fromEntries(names.map((name) => [name, new Client(urls[name])]));
  const run = Date.now().toString(36);
  const samples: LagSample[] = [];
  try {
    // Unmeasured: one write at each PoP, so every isolate and connection is warm.
    for (const name of names) await writers[name].expect(`/kv/lag-${run}-warm`, 200, { method: "PUT", body: name });
    for (let i = 0; i < writes; i++) {
      const writer = names[i % names.length];
      const key = `lag-${run}-${i}`;
      const value = `value ${i}`;
      const started = performance.now();
      const write = writers[writer].expect(`/kv/${key}`, 200, { method: "PUT", body: value }).then(() => performance.now() - started);
      const seen = names.map((name) =>
        pollUntil(async () => (await readers[name].request(`/kv/${key}`)).body === value, `write ${i} (at ${writer}) visible at ${name}`, { intervalMs: options.pollIntervalMs, timeoutMs: options.timeoutMs }).then(
          (at) => [name, at - started] as const,
        ),
      );
      const [ackMs, visible] = await Promise.all([write, Promise.all(seen)]);
      samples.push({ writer, ackMs, visibleMs: Object.fromEntries(visible) });
      await sleep(10);
    }
  } finally {
    for (const client of [...Object.values(writers), ...Object.values(readers)]) client.close();
  }
  return {
    samples,
    allPops: summarize(samples.map((s) => Math.max(...Object.values(s.visibleMs)))),
    perPop: Object.fromEntries(names.map((name) => [name, summarize(samples.map((s) => s.visibleMs[name]))])),
    ack: summarize(samples.map((s) => s.ackMs)),
  };
}

/** Three in-process PoPs on one embedded substrate at latency scale 1. */
export async function runKvLagEmbedded(writes: number): Promise<LagResult> {
  const net = await startEmbeddedPops(LAG_POPS, { latencyScale: 1, home: HOME });
  try {
    const urls = Object.fromEntries(LAG_POPS.map((name) => [name, net.pops[name].url]));
    const pollIntervalMs = 1;
    const measured = await measureKvLag(urls, writes, { pollIntervalMs });
    const modelMs = Object.fromEntries(LAG_POPS.map((writer) => [writer, modelLagMs(writer, LAG_POPS, HOME)]));
    return { backend: "embedded", pops: LAG_POPS, writes, pollIntervalMs, modelMs, ...measured };
  } finally {
    await net.close();
  }
}
