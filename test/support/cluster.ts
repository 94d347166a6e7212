/**
 * @module Test support: a cluster of real `verge pop` processes on one real
 * nats-server, all on loopback, each PoP with its own data directory, serving
 * the KV worker in test/fixtures/kv-cluster; and that worker's routes as calls.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { NatsServer } from "../../src/substrate/nats/server.js";
import { startVerge, type VergeProcess } from "./cli.js";

/** The worker every PoP of a test cluster serves (KV binding `KV`, namespace "cluster"). */
export const KV_CLUSTER_WORKER = fileURLToPath(new URL("../fixtures/kv-cluster", import.meta.url));

/** One `verge pop` process. */
export interface PopProcess {
  readonly name: string;
  readonly dataDir: string;
  readonly process: VergeProcess;
  /** The PoP's base URL (a new one after `restart`). */
  readonly url: string;
}

/** How a PoP is started. */
export interface PopStart {
  /** The NATS URL it connects to (default: the cluster's server; a fault proxy's for a partitioned PoP). */
  nats?: string;
  /** Extra arguments. */
  args?: string[];
}

export interface Cluster {
  readonly nats: NatsServer;
  readonly pops: Record<string, PopProcess>;
  /** Starts `verge pop --name <name>` (its data dir is kept across `kill9` and `start` again). */
  start(name: string, options?: PopStart): Promise<PopProcess>;
  /** SIGKILL: no drain, no goodbye. */
  kill9(name: string): Promise<void>;
  /** Everything the PoP printed, across its restarts. */
  output(name: string): string;
  close(): Promise<void>;
}

/**
 * A nats-server and one `verge pop` per name (started in parallel), serving
 * `options.worker` (default the KV worker) with `options.args` added.
 *
 * @example const cluster = await startCluster(["tokyo", "frankfurt"]); await kv(cluster.pops.tokyo).put("k", "v");
 */
export async function startCluster(names: string[], options: { worker?: string; args?: string[] } = {}): Promise<Cluster> {
  const root = mkdtempSync(join(tmpdir(), "verge-cluster-"));
  const worker = options.worker ?? KV_CLUSTER_WORKER;
  const nats = await NatsServer.start();
  const pops: Record<string, PopProcess> = {};
  const runs: Record<string, VergeProcess[]> = {};
  const cluster: Cluster = {
    nats,
    pops,
    async start(name, start = {}) {
      const dataDir = join(root, name);
      const args = ["pop", worker, "--name", name, "--nats", start.nats ?? nats.url, "--port", "0", "--data-dir", dataDir, "--quiet", ...(options.args ?? []), ...(start.args ?? [])];
      const process = await startVerge(args);
      (runs[name] ??= []).push(process);
      pops[name] = { name, dataDir, process, url: process.url };
      return pops[name];
    },
    async kill9(name) {
      await pops[name].process.stop("SIGKILL");
    },
    output: (name) => (runs[name] ?? []).map((run) => run.output()).join(""),
    async close() {
      const running = Object.values(pops).filter((pop) => pop.process.child.exitCode === null && pop.process.child.signalCode === null);
      await Promise.all(running.map((pop) => pop.process.stop()));
      await nats.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
  try {
    await Promise.all(names.map((name) => cluster.start(name)));
  } catch (error) {
    await cluster.close();
    throw error;
  }
  return cluster;
}

/** One listed key, as the worker answers `env.KV.list()`. */
export interface ListedKey {
  name: string;
  expiration?: number;
  metadata?: unknown;
}

/** The KV worker's routes at one PoP. */
export function kv(pop: PopProcess) {
  const at = (path: string) => `${pop.url}${path}`;
  return {
    /** The value, or null when absent. */
    async get(key: string): Promise<string | null> {
      const res = await fetch(at(`/kv/${encodeURIComponent(key)}`));
      const text = await res.text();
      if (res.status === 404) return null;
      if (res.status !== 200) throw new Error(`GET ${key} at ${pop.name}: ${res.status} ${text}`);
      return text;
    },
    /** Resolves once the write is acknowledged (durable in NATS). */
    async put(key: string, value: string, query = ""): Promise<void> {
      const res = await fetch(at(`/kv/${encodeURIComponent(key)}${query}`), { method: "PUT", body: value });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`PUT ${key} at ${pop.name}: ${res.status} ${text}`);
    },
    async delete(key: string): Promise<void> {
      const res = await fetch(at(`/kv/${encodeURIComponent(key)}`), { method: "DELETE" });
      if (res.status !== 200) throw new Error(`DELETE ${key} at ${pop.name}: ${res.status} ${await res.text()}`);
    },
    async list(options: { prefix?: string; cursor?: string; limit?: number } = {}): Promise<{ keys: ListedKey[]; list_complete: boolean; cursor?: string }> {
      const query = new URLSearchParams();
      for (const [name, value] of Object.entries(options)) if (value !== undefined) query.set(name, String(value));
      const res = await fetch(at(`/list?${query}`));
      if (res.status !== 200) throw new Error(`list at ${pop.name}: ${res.status} ${await res.text()}`);
      return (await res.json()) as { keys: ListedKey[]; list_complete: boolean; cursor?: string };
    },
    /** Writes keys `<prefix><from>`…, zero-padded to 6 digits, value = key, in one request. */
    async bulk(prefix: string, from: number, count: number): Promise<void> {
      const res = await fetch(at(`/bulk?prefix=${encodeURIComponent(prefix)}&from=${from}&count=${count}`), { method: "POST" });
      if (res.status !== 200) throw new Error(`bulk at ${pop.name}: ${res.status} ${await res.text()}`);
      await res.text();
    },
  };
}

/** The name of bulk key `i` under `prefix` (as the worker writes it). */
export const bulkKey = (prefix: string, i: number): string => `${prefix}${String(i).padStart(6, "0")}`;
