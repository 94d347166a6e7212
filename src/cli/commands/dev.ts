/**
 * @module `verge dev [entry|dir]`: local PoPs serving a worker (one, or one per
 * region of `--pops`), rebuilt and reloaded when its files change, with one
 * line per request.
 */
import { createHash } from "node:crypto";
import { bundleWorker } from "../../bundler/index.js";
import { bindingsFromConfig } from "../../bindings/registry.js";
import { loadWorkerConfig, type WorkerConfig } from "../../config/index.js";
import { defaultLimits } from "../../limits.js";
import type { HostedWorker } from "../../pop/worker-set.js";
import { parse, portOption } from "../args.js";
import { DevNetwork } from "../dev-network.js";
import { originOption, parseVars, popsOption } from "../dev-options.js";
import { printRequest } from "../request-line.js";
import { untilSignal } from "../signals.js";
import { startSimulatedOrigin } from "../simulated-origin.js";
import { watchFiles } from "../watch.js";

export const devHelp = `Usage: verge dev [entry|dir] [options]

Runs a worker on a local PoP at http://127.0.0.1:<port>, rebuilding and
reloading it when its files change. [entry|dir] is a worker entry file or a
directory with wrangler.toml / wrangler.jsonc (default: the current directory).

Options:
  --port <n>            Port to listen on (default 8787); with --pops, the first
                        PoP's port, the next PoP gets port+1, and so on
  --host <addr>         Address to listen on (default 127.0.0.1)
  --name <pop>          PoP name, shown in x-verge-pop and request.cf.colo (default "dev")
  --pops <r1,r2,…>      One PoP per region (e.g. tokyo,frankfurt,virginia), each
                        named after it, sharing one embedded substrate
  --quiet               No per-request lines
  --no-watch            Do not rebuild on file changes
  --allow-local-fetch   Let the worker fetch loopback and private addresses
  --origin <url|region> Origin behind the PoPs, in env.ORIGIN (unless the config
                        sets ORIGIN); requests of a worker that called
                        ctx.passThroughOnException() and then failed go there.
                        A region starts a simulated origin there: each answer
                        pays the model's round trip from the calling PoP
  --var <KEY=VALUE>     Set an env var (repeatable; overrides wrangler vars)
  --data-dir <dir>      Keep the network's data (KV, the substrate's streams)
                        there, so it survives a restart (default: in memory)
  -h, --help            Show this help

A request header x-verge-client-region: <region> delays the answer by the
model's round trip between a client in that region and the PoP.`;

const options = {
  port: { type: "string" },
  host: { type: "string" },
  name: { type: "string" },
  pops: { type: "string" },
  quiet: { type: "boolean" },
  watch: { type: "boolean", default: true },
  "allow-local-fetch": { type: "boolean" },
  origin: { type: "string" },
  var: { type: "string", multiple: true },
  "data-dir": { type: "string" },
} as const;

export async function hostedWorkerFrom(config: WorkerConfig, extraVars: Record<string, string> = {}): Promise<{ worker: HostedWorker; watch: string[] }> {
  const bundle = await bundleWorker(config.main);
  const version = createHash("sha256").update(bundle.code).digest("hex").slice(0, 12);
  const definition = { name: config.name, version, code: bundle.code, limits: defaultLimits({ cpuMs: config.limits.cpuMs }), env: { ...config.vars, ...extraVars }, bindings: bindingsFromConfig(config.raw, config.configPath ?? config.main) };
  return { worker: { definition, routes: [] }, watch: [...bundle.watchFiles, ...(config.configPath ? [config.configPath] : [])] };
}

export async function dev(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, options);
  const target = positionals[0] ?? ".";
  const vars = parseVars(values.var);
  const port = portOption(values.port, 8787);
  const names = popsOption(values.pops, values.name);
  const originValue = originOption(values.origin);
  const config = await loadWorkerConfig(target);
  for (const warning of config.warnings) console.warn(`warning: ${warning}`);
  const simulated = originValue && "region" in originValue ? await startSimulatedOrigin(originValue.region) : undefined;
  const origin = simulated?.url ?? (originValue && "url" in originValue ? originValue.url : undefined);
  // env.ORIGIN is the origin's URL, unless the config has its own; --var still wins.
  const varsFor = (next: WorkerConfig) => (origin !== undefined && next.vars.ORIGIN === undefined ? { ORIGIN: origin, ...vars } : vars);
  const multi = values.pops !== undefined;
  let first: Awaited<ReturnType<typeof hostedWorkerFrom>>;
  let network: DevNetwork;
  try {
    first = await hostedWorkerFrom(config, varsFor(config));
    network = await DevNetwork.start({
      names,
      port,
      hostname: (values.host as string | undefined) ?? "127.0.0.1",
      egress: { allowLocal: Boolean(values["allow-local-fetch"]) },
      origin,
      dataDir: values["data-dir"] as string | undefined,
      onRequest: values.quiet ? undefined : (log) => printRequest(log, multi),
    });
  } catch (error) {
    await simulated?.close(); // Its server would keep the process alive.
    throw error;
  }
  network.setWorker(first.worker);

  let stopWatching = () => {};
  if (values.watch !== false) {
    const reload = async () => {
      try {
        const next = await loadWorkerConfig(target);
        const { worker, watch } = await hostedWorkerFrom(next, varsFor(next));
        network.setWorker(worker);
        stopWatching();
        stopWatching = watchFiles(watch, () => void reload());
        console.log(`verge dev: reloaded ${next.name} (version ${worker.definition.version})`);
      } catch (error) {
        console.error(`verge dev: reload failed, still serving the previous version: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    stopWatching = watchFiles(first.watch, () => void reload());
  }

  // Printed last: once the URLs are out, edits are already being watched.
  const head = `verge dev: ${config.name} (version ${first.worker.definition.version}) at`;
  const lines = network.pops.map((pop) => (multi ? `${head} ${pop.url} (pop ${pop.name})` : `${head} ${pop.url}`));
  if (simulated) lines.push(`verge dev: simulated origin in ${simulated.region} at ${simulated.url}`);
  // The signal handlers go in before the URLs are printed: whoever reads them may stop us at once.
  const stopped = untilSignal("verge dev", async () => {
    stopWatching();
    await network.close();
    await simulated?.close();
  });
  console.log(lines.join("\n"));
  await stopped;
}
