/** @module loadWorkerConfig: locate, parse, validate and normalise a worker's configuration. */
import { stat } from "node:fs/promises";
import path from "node:path";
import { VergeError } from "../errors.js";
import { describeIssues } from "./issues.js";
import { locate } from "./locate.js";
import { readConfigFile } from "./parse.js";
import { configSchema, type ParsedConfig } from "./schema.js";
import type { RouteConfig, WorkerConfig } from "./types.js";
import { unknownKeyWarnings } from "./unknown.js";

type RouteInput = NonNullable<ParsedConfig["route"]>;

function toRoute(input: RouteInput): RouteConfig {
  if (typeof input === "string") return { pattern: input };
  const out: RouteConfig = { pattern: input.pattern };
  if (input.zone_name !== undefined) out.zoneName = input.zone_name;
  if (input.custom_domain !== undefined) out.customDomain = input.custom_domain;
  return out;
}

async function resolveMain(label: string, configPath: string, main: string): Promise<string> {
  const absolute = path.resolve(path.dirname(configPath), main);
  const info = await stat(absolute).catch(() => undefined);
  if (info === undefined) {
    throw new VergeError("config_invalid", `${label}: main points to a file that does not exist: ${JSON.stringify(main)}`);
  }
  if (!info.isFile()) {
    throw new VergeError("config_invalid", `${label}: main points to a directory, not a file: ${JSON.stringify(main)}`);
  }
  return absolute;
}

async function fromConfigFile(configPath: string, warnings: string[]): Promise<WorkerConfig> {
  const label = path.basename(configPath);
  const raw = await readConfigFile(configPath);
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    throw new VergeError("config_invalid", describeIssues(label, result.error.issues, raw).join("\n"), {
      cause: result.error,
    });
  }
  const parsed = result.data;
  const single = parsed.route === undefined ? [] : [parsed.route];
  const config: WorkerConfig = {
    name: parsed.name,
    main: await resolveMain(label, configPath, parsed.main),
    vars: parsed.vars ?? {},
    routes: [...single, ...(parsed.routes ?? [])].map(toRoute),
    limits: parsed.limits?.cpu_ms === undefined ? {} : { cpuMs: parsed.limits.cpu_ms },
    configPath,
    warnings: [...warnings, ...unknownKeyWarnings(label, raw)],
    raw,
  };
  if (parsed.compatibility_date !== undefined) config.compatibilityDate = parsed.compatibility_date;
  return config;
}

/**
 * Load a worker's configuration from a directory, a wrangler file or a bare entry file.
 * Throws VergeError `config_not_found` when the target is missing and
 * `config_invalid` (naming file, key and value) when the config is bad.
 *
 * @example
 * const config = await loadWorkerConfig("examples/hello");
 * for (const warning of config.warnings) console.warn(warning);
 */
export async function loadWorkerConfig(target: string): Promise<WorkerConfig> {
  const located = await locate(target);
  if (located.kind === "config") return fromConfigFile(located.configPath, located.warnings);
  return { name: located.name, main: located.main, vars: {}, routes: [], limits: {}, warnings: located.warnings, raw: {} };
}
