/**
 * @module `verge deploy [entry|dir]`: bundles a worker, uploads it to the
 * control API as a version (the same content gives the same version), and
 * deploys it to every PoP, at once or as a split with what serves now.
 */
import { bundleWorker, formatSize } from "../../bundler/index.js";
import { bindingsFromConfig } from "../../bindings/registry.js";
import { loadWorkerConfig, type WorkerConfig } from "../../config/index.js";
import { describeRoutes, type DeployRequest, type VersionConfig } from "../../control/client/index.js";
import { VergeError } from "../../errors.js";
import { parse } from "../args.js";
import { clientFrom, controlOptions, controlOptionsHelp, nameFlag, printServing, wholeNumber } from "./control-options.js";

export const deployHelp = `Usage: verge deploy [entry|dir] [options]

Bundles the worker in [entry|dir] (a directory with wrangler.toml /
wrangler.jsonc, a config file or an entry file; default: the current
directory), uploads it as a new version with its vars, bindings, routes, cron
triggers, CPU limit and compatibility date, and deploys it to every PoP.

Options:
  --percent <n>         Serve the new version to n% of clients (1 to 100,
                        default 100); below 100, what serves now keeps the rest
                        until "verge promote" or "verge rollback"
  --sticky <key>        What keeps a client on one side of a split: ip (the
                        default) or header:<name>, e.g. header:x-user-id
  --no-auto-rollback    Do not roll a split back by itself when the new
                        version answers more 5xx than the old one
${controlOptionsHelp}`;

const options = {
  ...controlOptions,
  percent: { type: "string" },
  sticky: { type: "string" },
  "auto-rollback": { type: "boolean" },
} as const;

/** The sticky keys the API takes: "ip" or "header:" and a lowercase header name. */
const STICKY = /^(ip|header:[a-z0-9-]{1,64})$/;

/** The deploy the flags ask for (without the version), checked before anything is built. */
export function deployRequestFrom(values: Record<string, string | boolean | undefined>): Omit<DeployRequest, "version"> {
  const percent = wholeNumber("--percent", values.percent, 1, 100);
  const sticky = values.sticky === undefined ? undefined : String(values.sticky).toLowerCase();
  if (sticky !== undefined && !STICKY.test(sticky)) throw new VergeError("usage", `--sticky must be ip or header:<name>: received ${JSON.stringify(values.sticky)}`);
  return { percent, sticky, autoRollback: values["auto-rollback"] === false ? false : undefined };
}

/** What a version runs with, from the worker's config. */
export function versionConfigOf(config: WorkerConfig): VersionConfig {
  const file = config.configPath ?? config.main;
  const vars: Record<string, string> = {};
  for (const [key, value] of Object.entries(config.vars)) {
    if (typeof value !== "string") console.warn(`warning: ${file}: vars.${key} is not a string; it is deployed as its JSON text`);
    vars[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return {
    vars,
    cpuMs: config.limits.cpuMs,
    bindings: bindingsFromConfig(config.raw, file),
    routes: config.routes.map((route) => route.pattern),
    crons: cronsOf(config.raw, file),
    compatibilityDate: config.compatibilityDate,
  };
}

function cronsOf(raw: Record<string, unknown>, file: string): string[] {
  const crons = (raw.triggers as { crons?: unknown } | undefined)?.crons;
  if (crons === undefined) return [];
  if (!Array.isArray(crons) || !crons.every((cron) => typeof cron === "string")) {
    throw new VergeError("config_invalid", `${file}: triggers.crons must be an array of cron expressions: received ${JSON.stringify(crons)}`);
  }
  return crons;
}

export async function deploy(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, options);
  if (positionals.length > 1) throw new VergeError("usage", `verge deploy takes one entry or directory: received ${JSON.stringify(positionals[1])} as well`);
  const request = deployRequestFrom(values);
  const named = nameFlag(values);
  const client = clientFrom(values);
  const config = await loadWorkerConfig(positionals[0] ?? ".");
  for (const warning of config.warnings) console.warn(`warning: ${warning}`);
  const worker = named ?? config.name;
  const bundle = await bundleWorker(config.main);
  const { version, created } = await client.upload(worker, bundle.code, versionConfigOf(config));
  const size = formatSize(version.bytes, { round: false });
  console.log(`verge deploy: ${worker} version ${version.id} ${created ? `uploaded (${size})` : `was uploaded before (same bundle and config, ${size})`}`);
  const deployment = await client.deploy(worker, { ...request, version: version.id });
  printServing("verge deploy", deployment);
  console.log(`verge deploy: reached at ${describeRoutes(deployment)}`);
}
