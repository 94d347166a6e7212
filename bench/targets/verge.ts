/** @module Starts Verge for the bench: one PoP in a child process (bench/targets/verge-child.ts), driven over IPC. */
import { fork } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import type { EvictionPolicy } from "../../src/pop/worker-set.js";
import type { TracingOptions } from "../../src/observe/tracing/index.js";
import type { PlatformCounts } from "../platform/platform-pop.js";
import { exitOf, stop, track } from "./children.js";
import { call } from "./ipc.js";
import type { Target } from "./target.js";
import type { BenchWorker, VergeStats } from "./verge-child.js";

export type { BenchWorker, VergeStats } from "./verge-child.js";

export interface VergeOptions {
  poolSize?: number;
  eviction?: Partial<EvictionPolicy>;
  /**
   * Write V8 CPU profiles of the child into this directory (empty or new): one
   * per thread, the main thread's is the one that serves requests (see mainThreadProfile).
   */
  cpuProfileDir?: string;
  /** The PoP's tracing options (bench/tracing measures what tracing costs). */
  tracing?: TracingOptions;
  /** The PoP as `verge start` runs it: following a control plane in the child and measured by Prometheus metrics (bench/platform measures what that costs). */
  platform?: boolean;
}

/** Verge under test, with the calls the cold-start and memory runs need. */
export interface VergeTarget extends Target {
  setWorkers(workers: BenchWorker[]): Promise<void>;
  /** Runs the child's host garbage collector (twice), so RSS reads are steadier. */
  gc(): Promise<void>;
  stats(): Promise<VergeStats>;
  /** What the platform counted of the requests (a child started with `platform: true` only). */
  platformCounts(): Promise<PlatformCounts>;
}

const CHILD = fileURLToPath(new URL("./verge-child.ts", import.meta.url));

export async function startVerge(options: VergeOptions = {}): Promise<VergeTarget> {
  const profile = options.cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  const child = track(fork(CHILD, [], { execArgv: ["--no-node-snapshot", "--import", "tsx", "--expose-gc", ...profile], stdio: ["ignore", "inherit", "inherit", "ipc"] }));
  try {
    const port = await Promise.race([call<number>(child, { type: "start", poolSize: options.poolSize, eviction: options.eviction, tracing: options.tracing, platform: options.platform }), exitOf(child, "The Verge child")]);
    return {
      name: "verge",
      url: `http://127.0.0.1:${port}`,
      pid: child.pid!,
      async setWorkers(workers) {
        await call(child, { type: "workers", workers });
      },
      async gc() {
        await call(child, { type: "gc" });
      },
      stats: () => call<VergeStats>(child, { type: "stats" }),
      platformCounts: () => call<PlatformCounts>(child, { type: "platform" }),
      async close() {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = once(child, "exit");
        await call(child, { type: "close" }, 20_000).catch(() => stop(child));
        await exited;
      },
    };
  } catch (error) {
    await stop(child);
    throw error;
  }
}
