/**
 * @module The PoPs of `verge dev`: one per name on consecutive ports, in one
 * process, sharing one embedded substrate and serving the same worker.
 */
import { join } from "node:path";
import { VergeError } from "../errors.js";
import type { TracingOptions } from "../observe/tracing/index.js";
import type { EgressOptions } from "../pop/egress/index.js";
import { Pop, type RequestLog } from "../pop/server.js";
import type { HostedWorker } from "../pop/worker-set.js";
import { isRegionName, region } from "../regions/index.js";
import { createEmbeddedSubstrate, type EmbeddedSubstrate } from "../substrate/embedded/index.js";

/** What every PoP of the network shares. */
export interface DevNetworkOptions {
  /** PoP names, in port order; each a region unless it is the single PoP of a plain `verge dev`. */
  names: string[];
  /** The first PoP's port; the next one gets port + 1, and so on (0: each PoP a free port). */
  port: number;
  hostname: string;
  egress: EgressOptions;
  origin?: string;
  /** Where the substrate's streams and buckets and each PoP's replicas are kept; absent: in memory. */
  dataDir?: string;
  onRequest?: (log: RequestLog) => void;
  /** Tracing of every PoP's requests (src/observe/tracing); off when absent. */
  tracing?: TracingOptions;
  /** Dev mode of the PoPs (src/pop/server.ts PopOptions.dev); default true. `verge start` runs them without it. */
  dev?: boolean;
}

/**
 * PoP names from `--pops tokyo,frankfurt,virginia`: each a region, no duplicates.
 *
 * @throws VergeError `unknown_region` naming the value and listing the valid names; `usage` for an empty or repeated name.
 */
export function popNames(value: string): string[] {
  const names = value.split(",").map((name) => name.trim());
  const seen = new Set<string>();
  for (const name of names) {
    if (name === "") throw new VergeError("usage", `--pops must be a comma-separated list of regions: received "${value}"`);
    if (seen.has(name)) throw new VergeError("usage", `--pops names a PoP twice: "${name}"`);
    region(name);
    seen.add(name);
  }
  return names;
}

/** The PoPs of one dev process. */
export class DevNetwork {
  private constructor(
    readonly pops: Pop[],
    readonly substrate: EmbeddedSubstrate,
  ) {}

  /** Starts every PoP; if one cannot start (its port is taken), the others are closed and the error names the port. */
  static async start(options: DevNetworkOptions): Promise<DevNetwork> {
    const { names, port } = options;
    if (port !== 0 && port + names.length - 1 > 65535) {
      throw new VergeError("usage", `--port ${port} leaves no room for ${names.length} PoPs on consecutive ports (the last would be ${port + names.length - 1})`);
    }
    // With a data dir, every acknowledged write is fsynced first: a killed `verge dev` restarts with it.
    const substrate = createEmbeddedSubstrate(options.dataDir === undefined ? {} : { dir: join(options.dataDir, "substrate") });
    let views;
    try {
      // A PoP outside the regions table (the default "dev") stands at the substrate's home.
      views = names.map((name) => substrate.forPop(name, { region: isRegionName(name) ? name : substrate.home }));
    } catch (error) {
      await substrate.close();
      throw new VergeError("usage", `--name: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const started = await Promise.allSettled(
      names.map((name, i) =>
        Pop.start({
          name,
          region: isRegionName(name) ? name : undefined,
          substrate: views[i],
          port: port === 0 ? 0 : port + i,
          hostname: options.hostname,
          dev: options.dev ?? true,
          tracing: options.tracing,
          egress: options.egress,
          origin: options.origin,
          dataDir: options.dataDir,
          onRequest: options.onRequest,
        }),
      ),
    );
    const pops = started.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
    const failed = started.findIndex((result) => result.status === "rejected");
    if (failed !== -1) {
      await Promise.all(pops.map((pop) => pop.close()));
      await substrate.close();
      const error = (started[failed] as PromiseRejectedResult).reason as NodeJS.ErrnoException;
      const at = `${options.hostname}:${port === 0 ? 0 : port + failed}`;
      if (error.code === "EADDRINUSE") throw new VergeError("usage", `PoP "${names[failed]}" cannot listen on ${at}: the port is in use`, { cause: error });
      throw error;
    }
    return new DevNetwork(pops, substrate);
  }

  /** Serves `worker` on every PoP (a reload: requests in flight finish on the old version). */
  setWorker(worker: HostedWorker): void {
    for (const pop of this.pops) pop.setWorkers([worker]);
  }

  /** Drains and closes every PoP, then the substrate. */
  async close(): Promise<void> {
    await Promise.all(this.pops.map((pop) => pop.close()));
    await this.substrate.close();
  }
}
