/**
 * @module A conformance backend over a real `nats-server` in a temp dir:
 * `restart()` kills it with SIGKILL and starts a new one on the same store
 * directory and port, then opens a new substrate.
 */
import type { ConformanceBackend } from "../conformance.js";
import { POPS } from "../conformance/harness.js";
import { ProxiedNatsSubstrate, proxyFaults, type CuttableProxy } from "./proxied.js";
import { NatsServer } from "./server.js";
import { NatsSubstrate, type NatsOptions } from "./substrate.js";

/** A backend under test together with the server underneath, for NATS-only cases. */
export interface NatsTestBackend extends ConformanceBackend {
  readonly substrate: NatsSubstrate;
  restart(): Promise<NatsSubstrate>;
  readonly server: NatsServer;
}

/**
 * A fresh NATS backend for the conformance suite, without fault injection
 * (see `proxiedNatsBackend` for partitions).
 *
 * @example describeSubstrateConformance("nats", () => natsBackend());
 */
export async function natsBackend(options: Omit<NatsOptions, "servers"> = {}): Promise<NatsTestBackend> {
  const server = await NatsServer.start();
  const make = (): NatsSubstrate => new NatsSubstrate({ ...options, servers: [server.url] });
  let current = make();
  return {
    server,
    get substrate() {
      return current;
    },
    async restart() {
      await server.kill();
      await current.close();
      await server.restart();
      current = make();
      return current;
    },
    async close() {
      try {
        await current.close();
      } finally {
        await server.stop();
      }
    },
  };
}

/**
 * A fresh NATS backend with partitions: each conformance PoP connects through
 * a proxy `startProxy` makes in front of the server (see proxied.ts).
 *
 * @example describeSubstrateConformance("nats", () => proxiedNatsBackend((port) => FaultProxy.start(port)));
 */
export async function proxiedNatsBackend(startProxy: (port: number) => Promise<CuttableProxy>, options: Omit<NatsOptions, "servers"> = {}): Promise<ConformanceBackend> {
  const server = await NatsServer.start();
  const proxies = new Map<string, CuttableProxy>();
  try {
    for (const pop of POPS) proxies.set(pop, await startProxy(server.port));
  } catch (error) {
    await Promise.all([...proxies.values()].map((proxy) => proxy.close()));
    await server.stop();
    throw error;
  }
  let current = new ProxiedNatsSubstrate(proxies, options);
  return {
    get substrate() {
      return current;
    },
    faults: proxyFaults(proxies, () => current),
    async restart() {
      await server.kill();
      await current.close();
      await server.restart();
      for (const proxy of proxies.values()) proxy.heal();
      current = new ProxiedNatsSubstrate(proxies, options);
      return current;
    },
    async close() {
      try {
        await current.close();
      } finally {
        await Promise.all([...proxies.values()].map((proxy) => proxy.close()));
        await server.stop();
      }
    },
  };
}
