/**
 * @module Test support: a worker directory loaded the way `verge dev` loads
 * it (wrangler.toml, vars, `kv_namespaces`), on several real PoPs on loopback
 * that share one embedded substrate.
 */
import { hostedWorkerFrom } from "../../src/cli/commands/dev.js";
import { loadWorkerConfig } from "../../src/config/index.js";
import { Pop, type PopOptions } from "../../src/pop/server.js";
import { createEmbeddedSubstrate, type EmbeddedSubstrate } from "../../src/substrate/embedded/index.js";

export interface Network {
  substrate: EmbeddedSubstrate;
  /** By PoP name (a region). */
  pops: Record<string, Pop>;
  fetch(pop: string, path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/**
 * Start one PoP per region name; the substrate's store is at `home`, and every
 * message waits the latency model's one-way time times `latencyScale`.
 * @example const net = await startNetwork(dir, ["tokyo", "frankfurt", "virginia"], 0.5);
 */
export async function startNetwork(dir: string, names: string[], latencyScale: number, vars: Record<string, string> = {}, home = "virginia", popOptions: Partial<PopOptions> = {}): Promise<Network> {
  const { worker } = await hostedWorkerFrom(await loadWorkerConfig(dir), vars);
  const substrate = createEmbeddedSubstrate({ latencyScale, home });
  const pops: Record<string, Pop> = {};
  try {
    for (const name of names) {
      const pop = await Pop.start({ name, region: name, substrate: substrate.forPop(name, { region: name }), port: 0, dev: true, poolSize: 1, ...popOptions });
      pops[name] = pop;
      pop.setWorkers([worker]);
    }
  } catch (error) {
    await Promise.all(Object.values(pops).map((pop) => pop.close(1000)));
    await substrate.close();
    throw error;
  }
  return {
    substrate,
    pops,
    fetch: (pop, path, init) => fetch(`${pops[pop].url}${path}`, init),
    async close() {
      await Promise.all(Object.values(pops).map((pop) => pop.close(1000)));
      await substrate.close();
    },
  };
}

/** Polls `check` every 5 ms until it is true; fails after `timeoutMs`. Answers the time waited. */
export async function until(check: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<number> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return performance.now() - started;
}
