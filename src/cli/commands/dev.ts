/**
 * @module `verge dev [entry|dir]`: one local PoP serving a worker, rebuilt and
 * reloaded when its files change, with one line per request.
 */
import { createHash } from "node:crypto";
import { bundleWorker } from "../../bundler/index.js";
import { loadWorkerConfig, type WorkerConfig } from "../../config/index.js";
import { VergeError } from "../../errors.js";
import { defaultLimits } from "../../limits.js";
import { Pop } from "../../pop/server.js";
import type { HostedWorker } from "../../pop/worker-set.js";
import { parse, portOption } from "../args.js";
import { printRequest } from "../request-line.js";
import { watchFiles } from "../watch.js";

export const devHelp = `Usage: verge dev [entry|dir] [options]

Runs a worker on a local PoP at http://127.0.0.1:<port>, rebuilding and
reloading it when its files change. [entry|dir] is a worker entry file or a
directory with wrangler.toml / wrangler.jsonc (default: the current directory).

Options:
  --port <n>            Port to listen on (default 8787)
  --host <addr>         Address to listen on (default 127.0.0.1)
  --name <pop>          PoP name, shown in x-verge-pop and request.cf.colo (default "dev")
  --quiet               No per-request lines
  --no-watch            Do not rebuild on file changes
  --allow-local-fetch   Let the worker fetch loopback and private addresses
  --origin <url>        Origin behind the PoP: requests of a worker that called
                        ctx.passThroughOnException() and then failed go there
  --var <KEY=VALUE>     Set an env var (repeatable; overrides wrangler vars)
  -h, --help            Show this help`;

const options = {
  port: { type: "string" },
  host: { type: "string" },
  name: { type: "string" },
  quiet: { type: "boolean" },
  watch: { type: "boolean", default: true },
  "allow-local-fetch": { type: "boolean" },
  origin: { type: "string" },
  var: { type: "string", multiple: true },
} as const;

export async function hostedWorkerFrom(config: WorkerConfig, extraVars: Record<string, string> = {}): Promise<{ worker: HostedWorker; watch: string[] }> {
  const bundle = await bundleWorker(config.main);
  const version = createHash("sha256").update(bundle.code).digest("hex").slice(0, 12);
  const definition = { name: config.name, version, code: bundle.code, limits: defaultLimits({ cpuMs: config.limits.cpuMs }), env: { ...config.vars, ...extraVars } };
  return { worker: { definition, routes: [] }, watch: [...bundle.watchFiles, ...(config.configPath ? [config.configPath] : [])] };
}

function parseVars(values: unknown): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const item of (values as string[] | undefined) ?? []) {
    const eq = item.indexOf("=");
    if (eq <= 0) throw new VergeError("usage", `--var must look like KEY=VALUE: received "${item}"`);
    vars[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return vars;
}

function originOption(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new VergeError("usage", `--origin must be an http(s) URL: received "${String(value)}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new VergeError("usage", `--origin must be an http(s) URL: received "${String(value)}"`);
  return url.origin;
}

export async function dev(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, options);
  const target = positionals[0] ?? ".";
  const vars = parseVars(values.var);
  const port = portOption(values.port, 8787);
  const config = await loadWorkerConfig(target);
  for (const warning of config.warnings) console.warn(`warning: ${warning}`);
  const first = await hostedWorkerFrom(config, vars);
  const pop = await Pop.start({
    name: (values.name as string | undefined) ?? "dev",
    port,
    hostname: (values.host as string | undefined) ?? "127.0.0.1",
    dev: true,
    egress: { allowLocal: Boolean(values["allow-local-fetch"]) },
    origin: originOption(values.origin),
    onRequest: values.quiet ? undefined : printRequest,
  });
  pop.setWorkers([first.worker]);

  let stopWatching = () => {};
  if (values.watch !== false) {
    const reload = async () => {
      try {
        const next = await loadWorkerConfig(target);
        const { worker, watch } = await hostedWorkerFrom(next, vars);
        pop.setWorkers([worker]);
        stopWatching();
        stopWatching = watchFiles(watch, () => void reload());
        console.log(`verge dev: reloaded ${next.name} (version ${worker.definition.version})`);
      } catch (error) {
        console.error(`verge dev: reload failed, still serving the previous version: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    stopWatching = watchFiles(first.watch, () => void reload());
  }

  // Printed last: once the URL is out, edits are already being watched.
  console.log(`verge dev: ${config.name} (version ${first.worker.definition.version}) at ${pop.url}`);

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      console.log(`verge dev: ${signal}, draining requests in flight`);
      stopWatching();
      pop.close().then(resolve, resolve);
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
  });
}
