/**
 * @module Substrates for the directory's tests, one per backend, each able to
 * cut a PoP off the store: the embedded substrate (a partition between the
 * PoP and STORE_NODE) and a real nats-server with a TCP proxy per PoP (the
 * PoP's proxy is cut, as in the substrate's NATS conformance run).
 */
import { createEmbeddedSubstrate } from "../../../substrate/embedded/index.js";
import { proxyFaults, ProxiedNatsSubstrate, type CuttableProxy } from "../../../substrate/nats/proxied.js";
import { NatsServer } from "../../../substrate/nats/server.js";
import { STORE_NODE, type Substrate } from "../../../substrate/types.js";

/** A backend under test with the PoPs it was made for. */
export interface TestBackend {
  readonly substrate: Substrate;
  /** Cuts `pop` off the store: its bucket calls and watch deliveries wait until `heal`. */
  cut(pop: string): Promise<void>;
  heal(): Promise<void>;
  close(): Promise<void>;
}

/** Makes a fresh backend serving `pops`. */
export type MakeTestBackend = (pops: readonly string[]) => Promise<TestBackend>;

/** The embedded substrate with every one-way delay of the latency model times `latencyScale`. */
export function embeddedTestBackend(latencyScale: number): MakeTestBackend {
  return async () => {
    const substrate = createEmbeddedSubstrate({ latencyScale });
    return {
      substrate,
      cut: async (pop) => substrate.partition(pop, STORE_NODE),
      heal: async () => substrate.heal(),
      close: () => substrate.close(),
    };
  };
}

/** A fresh nats-server per backend, each PoP connecting through a proxy that `startProxy` makes. */
export function natsTestBackend(startProxy: (port: number) => Promise<CuttableProxy>): MakeTestBackend {
  return async (pops) => {
    const server = await NatsServer.start();
    const proxies = new Map<string, CuttableProxy>();
    try {
      for (const pop of pops) proxies.set(pop, await startProxy(server.port));
    } catch (error) {
      await Promise.all([...proxies.values()].map((proxy) => proxy.close()));
      await server.stop();
      throw error;
    }
    const substrate = new ProxiedNatsSubstrate(proxies, {});
    const faults = proxyFaults(proxies, () => substrate);
    return {
      substrate,
      cut: async (pop) => faults.partition(pop, STORE_NODE),
      heal: async () => faults.heal(),
      async close() {
        try {
          await substrate.close();
        } finally {
          await Promise.all([...proxies.values()].map((proxy) => proxy.close()));
          await server.stop();
        }
      },
    };
  };
}
