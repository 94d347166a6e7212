/**
 * @module A conformance backend over a real `nats-server` in a temp dir:
 * `restart()` kills it with SIGKILL and starts a new one on the same store
 * directory and port, then opens a new substrate.
 */
import type { ConformanceBackend } from "../conformance.js";
import { NatsServer } from "./server.js";
import { NatsSubstrate, type NatsOptions } from "./substrate.js";

/** A backend under test together with the server underneath, for NATS-only cases. */
export interface NatsTestBackend extends ConformanceBackend {
  readonly substrate: NatsSubstrate;
  restart(): Promise<NatsSubstrate>;
  readonly server: NatsServer;
}

/**
 * A fresh NATS backend for the conformance suite. No fault injection:
 * partitions need a TCP proxy per PoP, which this harness does not have.
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
