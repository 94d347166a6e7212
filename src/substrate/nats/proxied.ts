/**
 * @module Partitions for the NATS conformance backend: each PoP connects
 * through a TCP proxy of its own, and a partition cuts the PoP's proxy. A
 * PoP's one connection carries all its traffic, so `partition(a, b)` cuts the
 * PoP among a and b (a when both are PoPs) off the server entirely: more than
 * the one link asked for, which the partition cases allow.
 */
import type { Faults } from "../conformance.js";
import { STORE_NODE, type PopOptions, type Substrate } from "../types.js";
import type { NatsView } from "./view.js";
import { NatsSubstrate, type NatsOptions } from "./substrate.js";

/** A TCP proxy in front of the server that can cut and heal (test/support/fault-proxy.ts is one). */
export interface CuttableProxy {
  readonly port: number;
  /** Drops every connection and refuses new ones. */
  cut(): void;
  heal(): void;
  /** Resolves at the next connection refused while cut. */
  nextRefused(): Promise<void>;
  close(): Promise<void>;
}

/** A Substrate whose PoPs each connect through their own proxy. */
export class ProxiedNatsSubstrate implements Substrate {
  readonly kind = "nats";
  private readonly perPop = new Map<string, NatsSubstrate>();

  constructor(
    private readonly proxies: ReadonlyMap<string, CuttableProxy>,
    private readonly options: Omit<NatsOptions, "servers">,
  ) {}

  forPop(pop: string, options?: PopOptions): NatsView {
    let substrate = this.perPop.get(pop);
    if (!substrate) {
      const proxy = this.proxies.get(pop);
      if (!proxy) throw new RangeError(`No proxy for PoP "${pop}": expected one of ${[...this.proxies.keys()].join(", ")}`);
      substrate = new NatsSubstrate({ ...this.options, servers: [`nats://127.0.0.1:${proxy.port}`] });
      this.perPop.set(pop, substrate);
    }
    return substrate.forPop(pop, options);
  }

  /** Resolves once PoP `pop`'s view (if it has one) is connected. */
  async connected(pop: string): Promise<void> {
    await this.perPop.get(pop)?.connected();
  }

  async close(): Promise<void> {
    await Promise.all([...this.perPop.values()].map((substrate) => substrate.close()));
  }
}

/** Partitions by cutting proxies; `current` is the substrate in use (it changes on restart). */
export function proxyFaults(proxies: ReadonlyMap<string, CuttableProxy>, current: () => ProxiedNatsSubstrate): Faults {
  const cut = new Set<string>();
  return {
    async partition(a, b) {
      const pop = a === STORE_NODE ? b : a;
      const proxy = proxies.get(pop);
      if (!proxy) throw new RangeError(`No proxy for PoP "${pop}"`);
      await current().connected(pop); // A cut before the first connection would only delay it.
      const noticed = proxy.nextRefused();
      proxy.cut();
      cut.add(pop);
      // Its client has seen the cut once it tries to connect again: its calls now wait, its publishes are dropped.
      await noticed;
    },
    async heal() {
      const healed = [...cut];
      cut.clear();
      for (const pop of healed) proxies.get(pop)?.heal();
      await Promise.all(healed.map((pop) => current().connected(pop)));
    },
  };
}
