/** @module The shape of a loaded worker configuration, as the rest of Verge sees it. */

/** One route of a worker: a Cloudflare route pattern such as `example.com/api/*`. */
export interface RouteConfig {
  pattern: string;
  zoneName?: string;
  customDomain?: boolean;
}

/**
 * A worker's configuration, from a wrangler file or derived from a bare entry file.
 *
 * @example
 * const config = await loadWorkerConfig("examples/hello");
 * config.main; // "/abs/examples/hello/src/index.ts"
 */
export interface WorkerConfig {
  /** Required in a config file; for a bare entry file, derived from the file name. */
  name: string;
  /** Absolute path to the entry file. */
  main: string;
  /** YYYY-MM-DD, validated as a calendar date. */
  compatibilityDate?: string;
  /** Strings or JSON values, as wrangler. */
  vars: Record<string, unknown>;
  /** From `route` (single) or `routes`. */
  routes: RouteConfig[];
  /** From `limits`; unset values fall back to DefaultLimits. */
  limits: { cpuMs?: number };
  /** Absolute path of the config file read, if any. */
  configPath?: string;
  /** Non-fatal findings, e.g. `wrangler.toml: unknown key "foo" is ignored`. */
  warnings: string[];
  /** The parsed file, so later features (kv_namespaces, durable_objects, triggers) can add schemas. */
  raw: Record<string, unknown>;
}
