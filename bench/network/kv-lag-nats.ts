/**
 * @module KV propagation lag on the NATS backend: a real nats-server on
 * loopback (src/substrate/nats/server.ts) and three `verge pop` processes
 * (tokyo, frankfurt, virginia) on it, each with its own data directory,
 * measured as the embedded run is (bench/network/kv-lag.ts). There is no
 * latency model here: the figures are loopback NATS plus the PoPs' own work.
 */
import { LAG_POPS, measureKvLag, type LagResult } from "./kv-lag.js";
import { startNatsPops } from "./pop-process.js";
import { NETWORK_WORKER_DIR } from "./setup.js";

export interface NatsLagResult extends LagResult {
  natsServer: string;
}

export async function runKvLagNats(writes: number): Promise<NatsLagResult> {
  const cluster = await startNatsPops(NETWORK_WORKER_DIR, LAG_POPS);
  try {
    const urls = Object.fromEntries(LAG_POPS.map((name) => [name, cluster.pops[name].url]));
    // The PoPs are other processes: polling back to back loads only them and this client.
    const pollIntervalMs = 0;
    const measured = await measureKvLag(urls, writes, { pollIntervalMs });
    return { backend: "nats", natsServer: cluster.nats.version, pops: LAG_POPS, writes, pollIntervalMs, ...measured };
  } finally {
    await cluster.close();
  }
}
