/**
 * @module Purge completion at every PoP. Three in-process PoPs (tokyo,
 * frankfurt, virginia) each hold a cached response (`GET /cached/asset`: a
 * subrequest to a loopback origin with `cf: { cacheTtl: 3600, cacheTags:
 * ["t"] }`); a purge by tag goes to one PoP's dev control area (`POST
 * /__verge/purge {"tags":["t"]}`, each PoP in turn), and each PoP's
 * `cache.counters.purged` is watched every millisecond: a purge is complete
 * when every PoP has dropped its copy. Afterwards every PoP must answer the
 * next request with a miss (which caches the response again for the next
 * round). Embedded at latency scale 1, with the model's figure per sender;
 * and on a real nats-server on loopback (in-process PoPs with NATS views).
 */
import { oneWayMs } from "../../src/regions/index.js";
import { NatsServer } from "../../src/substrate/nats/server.js";
import { createNatsSubstrate } from "../../src/substrate/nats/index.js";
import { sleep, summarize } from "../stats.js";
import { startEmbeddedPops, startLoopbackOrigin, startPops, type PopSet } from "./setup.js";
import type { Summary } from "./types.js";

const POPS = ["tokyo", "frankfurt", "virginia"];
/** After a purge, long enough for its copy from the purge log to reach every PoP too (at most 170 ms in the model), so it cannot hit the next round's fresh copies. */
const SETTLE_MS = 400;

export interface PurgeSample {
  sender: string;
  /** From sending the purge to each PoP having dropped its copy. */
  purgedMs: Record<string, number>;
  /** From sending the purge to the answer of the control area (once the purge log has it). */
  answeredMs: number;
}

export interface PurgeResult {
  backend: "embedded" | "nats";
  pops: string[];
  purges: number;
  /** From sending the purge until the last PoP has dropped its copy. */
  allPops: Summary;
  perPop: Record<string, Summary>;
  /** From sending the purge until the control area answered (durable in the purge log). */
  answered: Summary;
  /** The latency model's time to every PoP for a purge sent at each PoP (embedded only): the broadcast's longest one-way time. */
  modelMs?: Record<string, number>;
  samples: PurgeSample[];
}

async function cacheStatus(set: PopSet, pop: string): Promise<string> {
  const answer = await set.clients[pop].expect("/cached/asset", 200);
  return String(answer.headers["x-cache"] ?? "");
}

/** Caches the asset at every PoP: a second request must be a hit. */
async function warm(set: PopSet): Promise<void> {
  for (const pop of Object.keys(set.pops)) {
    await cacheStatus(set, pop);
    const status = await cacheStatus(set, pop);
    if (status !== "HIT") throw new Error(`${pop}: the cached asset answered cf-cache-status ${JSON.stringify(status)} on the second request, expected HIT`);
  }
}

async function purgeOnce(set: PopSet, sender: string, timeoutMs: number): Promise<PurgeSample> {
  const names = Object.keys(set.pops);
  const before = Object.fromEntries(names.map((name) => [name, set.pops[name].cache.counters.purged]));
  const purgedMs: Record<string, number> = {};
  const started = performance.now();
  const answered = set.clients[sender].expect("/__verge/purge", 200, { method: "POST", body: JSON.stringify({ tags: ["t"] }), headers: { "content-type": "application/json" } }).then(() => performance.now() - started);
  // Awaited below; until then a failure must not count as unhandled.
  answered.catch(() => undefined);
  while (Object.keys(purgedMs).length < names.length) {
    const now = performance.now();
    for (const name of names) if (purgedMs[name] === undefined && set.pops[name].cache.counters.purged > before[name]) purgedMs[name] = now - started;
    if (now - started > timeoutMs) throw new Error(`a purge sent at ${sender} had not reached ${names.filter((n) => purgedMs[n] === undefined).join(", ")} within ${timeoutMs} ms`);
    await sleep(1);
  }
  return { sender, purgedMs, answeredMs: await answered };
}

/** `purges` purges, sent at each PoP in turn, each followed by a check that every PoP misses. */
async function measurePurges(set: PopSet, purges: number): Promise<Pick<PurgeResult, "allPops" | "perPop" | "answered" | "samples">> {
  const names = Object.keys(set.pops);
  await warm(set);
  const samples: PurgeSample[] = [];
  for (let i = 0; i < purges; i++) {
    const sample = await purgeOnce(set, names[i % names.length], 5000);
    samples.push(sample);
    await sleep(SETTLE_MS);
    for (const pop of names) {
      const status = await cacheStatus(set, pop);
      if (status === "HIT") throw new Error(`${pop} still answered the purged asset from its cache after purge ${i} (sent at ${sample.sender})`);
    }
    await warm(set);
  }
  return {
    samples,
    allPops: summarize(samples.map((s) => Math.max(...Object.values(s.purgedMs)))),
    perPop: Object.fromEntries(names.map((name) => [name, summarize(samples.map((s) => s.purgedMs[name]))])),
    answered: summarize(samples.map((s) => s.answeredMs)),
  };
}

/** Three PoPs on one embedded substrate at latency scale 1 (store in virginia). */
export async function runPurgeEmbedded(purges: number): Promise<PurgeResult> {
  const origin = await startLoopbackOrigin();
  try {
    const set = await startEmbeddedPops(POPS, { latencyScale: 1, home: "virginia", vars: { ORIGIN: origin.url } });
    try {
      const modelMs = Object.fromEntries(POPS.map((sender) => [sender, Math.max(...POPS.map((pop) => oneWayMs(sender, pop)))]));
      return { backend: "embedded", pops: POPS, purges, modelMs, ...(await measurePurges(set, purges)) };
    } finally {
      await set.close();
    }
  } finally {
    await origin.close();
  }
}

/** Three in-process PoPs, each with its own connection to one real nats-server on loopback. */
export async function runPurgeNats(purges: number): Promise<PurgeResult> {
  const [origin, nats] = await Promise.all([startLoopbackOrigin(), NatsServer.start()]);
  try {
    const substrate = createNatsSubstrate({ servers: [nats.url] });
    const set = await startPops(POPS, { view: (name) => substrate.forPop(name, { region: name }), vars: { ORIGIN: origin.url }, substrate });
    try {
      return { backend: "nats", pops: POPS, purges, ...(await measurePurges(set, purges)) };
    } finally {
      await set.close();
    }
  } finally {
    await Promise.all([origin.close(), nats.stop()]);
  }
}
