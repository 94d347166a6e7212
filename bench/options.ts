/** @module The bench's command line: run length, load shape, cold-start size, network counts, deployments, profiling. */
import { parseArgs } from "node:util";
import { networkCounts, type NetworkCounts } from "./network/counts.js";

export interface BenchOptions {
  /** Seconds of each measured wrk run. */
  durationS: number;
  /** Seconds of the unmeasured wrk run before it. */
  warmupS: number;
  threads: number;
  connections: number;
  /** Distinct workers for the cold-start and memory runs. */
  coldWorkers: number;
  /** Verge's ready-isolate pool (the runtime's default when unset). */
  poolSize?: number;
  /** Write a V8 CPU profile of the Verge child for each throughput workload (and of both PoPs of the platform part), and summarize it. */
  cpuProf: boolean;
  /** Skip workerd's 200-service cold-start and memory comparison. */
  skipWorkerdCold: boolean;
  /** Requests, writes and purges of the network part (fewer with --quick). */
  network: NetworkCounts;
  /** Measured deployments in the deploy part (fewer with --quick). */
  deployments: number;
  /** Run only these parts (all by default). */
  parts: { throughput: boolean; cold: boolean; network: boolean; tracing: boolean; platform: boolean; deploy: boolean };
}

const PARTS = ["throughput", "cold", "network", "tracing", "platform", "deploy"] as const;

const USAGE = `Usage: npm run bench -- [options]

  --duration <s>      measured seconds per wrk run (default 10)
  --warmup <s>        warm-up seconds before each run (default 3)
  --quick             3 s runs, 1 s warm-up, fewer network requests and
                      deployments
  --threads <n>       wrk threads (default 2)
  --connections <n>   wrk connections (default 50)
  --workers <n>       workers in the cold-start and memory runs (default 200)
  --pool-size <n>     Verge's ready-isolate pool (default: the runtime's)
  --cpu-prof          CPU-profile the Verge children in the throughput and
                      platform runs
  --no-workerd-cold   skip workerd's cold-start and memory comparison
  --only <part>       run only "throughput", only "cold" (cold start and memory)
                      or only "network" (KV, propagation, purge, edge vs origin,
                      Durable Objects), only "tracing" (hello world with
                      tracing off and at 5% sampling), only "platform" (hello
                      world on a bare PoP and on one as verge start runs it),
                      or only "deploy" (a deploy call to every PoP serving the
                      new version)
  --help              this text`;

function positive(name: string, text: string | undefined, fallback: number, min = 1): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min) throw new Error(`--${name} must be a number >= ${min}: received "${text}"`);
  return value;
}

/** Parses argv; prints usage and exits for --help. */
export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: "string" },
      warmup: { type: "string" },
      quick: { type: "boolean", default: false },
      threads: { type: "string" },
      connections: { type: "string" },
      workers: { type: "string" },
      "pool-size": { type: "string" },
      "cpu-prof": { type: "boolean", default: false },
      "no-workerd-cold": { type: "boolean", default: false },
      only: { type: "string" },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const quick = values.quick ?? false;
  const only = values.only;
  if (only !== undefined && !(PARTS as readonly string[]).includes(only)) {
    throw new Error(`--only must be one of ${PARTS.map((p) => `"${p}"`).join(", ")}: received "${only}"`);
  }
  return {
    durationS: positive("duration", values.duration, quick ? 3 : 10),
    warmupS: positive("warmup", values.warmup, quick ? 1 : 3, 0),
    threads: positive("threads", values.threads, 2),
    connections: positive("connections", values.connections, 50),
    coldWorkers: positive("workers", values.workers, 200, 2),
    poolSize: values["pool-size"] === undefined ? undefined : positive("pool-size", values["pool-size"], 2, 0),
    cpuProf: values["cpu-prof"] ?? false,
    skipWorkerdCold: values["no-workerd-cold"] ?? false,
    network: networkCounts(quick),
    deployments: quick ? 20 : 50,
    parts: { throughput: only === undefined || only === "throughput", cold: only === undefined || only === "cold", network: only === undefined || only === "network", tracing: only === undefined || only === "tracing", platform: only === undefined || only === "platform", deploy: only === undefined || only === "deploy" },
  };
}
