/**
 * @module What the network benchmarks share: the worker they serve
 * (bench/workers/network; bench/workers/objects for Durable Objects),
 * in-process PoPs on loopback sharing one embedded substrate (or any
 * substrate views), each with its client, and a plain loopback origin.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { hostedWorkerFrom } from "../../src/cli/commands/dev.js";
import { loadWorkerConfig } from "../../src/config/index.js";
import { Pop } from "../../src/pop/server.js";
import { createEmbeddedSubstrate } from "../../src/substrate/embedded/index.js";
import type { SubstrateView } from "../../src/substrate/types.js";
import { Client } from "./client.js";

/** The directory of the worker every network benchmark serves (a `verge pop` takes it as is). */
export const NETWORK_WORKER_DIR = fileURLToPath(new URL("../workers/network/", import.meta.url));
/** The directory of the Durable Objects benchmarks' worker (a `Counter` class on binding `COUNTER`, an `Echo` class holding WebSockets on `ECHO`). */
export const OBJECTS_WORKER_DIR = fileURLToPath(new URL("../workers/objects/", import.meta.url));

/** In-process PoPs by name, a client for each, and one close for everything. */
export interface PopSet {
  pops: Record<string, Pop>;
  clients: Record<string, Client>;
  close(): Promise<void>;
}

export interface PopSetOptions {
  /** Each PoP's substrate view, by PoP name. */
  view(name: string): SubstrateView;
  /** The worker's directory (default NETWORK_WORKER_DIR). */
  worker?: string;
  /** The worker's env vars (ORIGIN). */
  vars?: Record<string, string>;
  /** The origin behind the PoPs: requests to it carry `x-verge-pop`. */
  origin?: string;
  /** Closed after the PoPs. */
  substrate?: { close(): Promise<void> };
}

/** One dev PoP per region name (named after it, fetching loopback allowed), all serving the network worker (or `options.worker`). */
export async function startPops(names: string[], options: PopSetOptions): Promise<PopSet> {
  const { worker } = await hostedWorkerFrom(await loadWorkerConfig(options.worker ?? NETWORK_WORKER_DIR), options.vars);
  const pops: Record<string, Pop> = {};
  const clients: Record<string, Client> = {};
  const close = async () => {
    for (const client of Object.values(clients)) client.close();
    await Promise.all(Object.values(pops).map((pop) => pop.close(1000)));
    await options.substrate?.close();
  };
  try {
    for (const name of names) {
      const pop = await Pop.start({ name, region: name, substrate: options.view(name), port: 0, dev: true, egress: { allowLocal: true }, origin: options.origin, poolSize: 1 });
      pops[name] = pop;
      pop.setWorkers([worker]);
      clients[name] = new Client(pop.url);
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { pops, clients, close };
}

/** `startPops` on one embedded substrate whose store is at `home`, every message delayed by the latency model times `latencyScale`. */
export function startEmbeddedPops(names: string[], options: { latencyScale?: number; home?: string; worker?: string; vars?: Record<string, string>; origin?: string } = {}): Promise<PopSet> {
  const substrate = createEmbeddedSubstrate({ latencyScale: options.latencyScale ?? 1, home: options.home ?? "virginia" });
  return startPops(names, { ...options, view: (name) => substrate.forPop(name, { region: name }), substrate });
}

/** A loopback origin answering every GET at once with a small body. */
export interface LoopbackOrigin {
  url: string;
  /** Requests it has answered. */
  readonly requests: number;
  close(): Promise<void>;
}

export async function startLoopbackOrigin(): Promise<LoopbackOrigin> {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    req.resume();
    res.writeHead(200, { "content-type": "text/plain", "content-length": "6" });
    res.end("asset\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
