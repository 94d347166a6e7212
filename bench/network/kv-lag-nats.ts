/**
 * @module KV propagation lag on the NATS backend: a real nats-server on
 * loopback (src/substrate/nats/server.ts) and three `verge pop` processes
 * (tokyo, frankfurt, virginia) on it, each with its own data directory,
 * measured as the embedded run is (bench/network/kv-lag.ts). There is no
 * latency model here: the figures are loopback NATS plus the PoPs' own work.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NatsServer } from "../../src/substrate/nats/server.js";
import { LAG_POPS, measureKvLag, type LagResult } from "./kv-lag.js";
import { startPopProcess, type PopProcess } from "./pop-process.js";
import { NETWORK_WORKER_DIR } from "./setup.js";

export interface NatsLagResult extends LagResult {
  natsServer: string;
}

export async function runKvLagNats(writes: number): Promise<NatsLagResult> {
  const root = mkdtempSync(join(tmpdir(), "verge-bench-nats-"));
  const nats = await NatsServer.start();
  const pops: PopProcess[] = [];
  try {
    const started = await Promise.allSettled(LAG_POPS.map((name) => startPopProcess(NETWORK_WORKER_DIR, { name, nats: nats.url, dataDir: join(root, name) })));
    for (const result of started) if (result.status === "fulfilled") pops.push(result.value);
    const failed = started.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
    const urls = Object.fromEntries(pops.map((pop) => [pop.name, pop.url]));
    // The PoPs are other processes: polling back to back loads only them and this client.
    const pollIntervalMs = 0;
    const measured = await measureKvLag(urls, writes, { pollIntervalMs });
    return { backend: "nats", natsServer: nats.version, pops: LAG_POPS, writes, pollIntervalMs, ...measured };
  } finally {
    await Promise.all(pops.map((pop) => pop.close()));
    await nats.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
