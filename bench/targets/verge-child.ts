/**
 * @module The Verge side of the bench: one PoP in its own process, driven over
 * IPC by bench/targets/verge.ts (start, set workers, gc, stats, close); with
 * `platform`, the PoP as `verge start` runs it (bench/platform/platform-pop.ts,
 * whose counts it answers to `platform`). Verge itself is loaded from dist/,
 * the tsc build that the `verge` command runs (scripts/bench.mjs builds it
 * first); its types come from src/.
 */
import type { Pop as PopInstance } from "../../src/pop/server.js";
import type { EvictionPolicy } from "../../src/pop/worker-set.js";
import type { TracingOptions } from "../../src/observe/tracing/index.js";
import type { PlatformPop } from "../platform/platform-pop.js";
import { serve } from "./ipc.js";

const dist = (path: string) => new URL(`../../dist/${path}`, import.meta.url).href;
const { Pop } = (await import(dist("pop/server.js"))) as typeof import("../../src/pop/server.js");
const { defaultLimits } = (await import(dist("limits.js"))) as typeof import("../../src/limits.js");

/** A worker as the parent sends it: already bundled. */
export interface BenchWorker {
  name: string;
  code: string;
  routes: string[];
}

/** What the child reports about its loaded isolates. */
export interface VergeStats {
  loaded: number;
  /** V8 heap in use (used + external) summed over loaded isolates. */
  heapBytes: number;
}

let pop: PopInstance | undefined;
let platform: PlatformPop | undefined;

function requirePop(): PopInstance {
  if (!pop) throw new Error("The PoP has not started");
  return pop;
}

process.on("disconnect", () => process.exit(1));

serve(async (message) => {
  switch (message.type) {
    case "start": {
      const eviction = message.eviction as Partial<EvictionPolicy> | undefined;
      const poolSize = message.poolSize as number | undefined;
      const tracing = message.tracing as TracingOptions | undefined;
      const options = { port: 0, dev: false, egress: { allowLocal: true }, poolSize, eviction, tracing };
      if (message.platform === true) {
        const { startPlatformPop } = await import("../platform/platform-pop.js");
        platform = await startPlatformPop(options);
        pop = platform.pop;
      } else {
        pop = await Pop.start({ name: "bench", ...options });
      }
      return pop.port;
    }
    case "workers": {
      const workers = message.workers as BenchWorker[];
      if (platform) await platform.deploy(workers);
      else requirePop().setWorkers(workers.map((w) => ({ definition: { name: w.name, version: "1", code: w.code, limits: defaultLimits(), env: {} }, routes: w.routes })));
      return workers.length;
    }
    case "gc": {
      const gc = (globalThis as { gc?: () => void }).gc;
      if (!gc) throw new Error("Start the Verge child with --expose-gc");
      gc();
      gc();
      return null;
    }
    case "stats": {
      const runtimes = requirePop().workers.runtimes.filter((r) => r.loaded);
      return { loaded: runtimes.length, heapBytes: runtimes.reduce((sum, r) => sum + r.heapBytes(), 0) } satisfies VergeStats;
    }
    case "platform": {
      if (!platform) throw new Error("The PoP was not started with platform: true");
      return await platform.counts();
    }
    case "close": {
      await (platform ? platform.close() : pop?.close());
      pop = undefined;
      // Exit after the reply is sent, so that --cpu-prof writes its profile.
      setImmediate(() => process.exit(0));
      return null;
    }
    default:
      throw new Error(`Unknown message type: ${JSON.stringify(message.type)}`);
  }
});
