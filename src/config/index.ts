/** @module Public surface of src/config: wrangler.toml / wrangler.jsonc / wrangler.json loading and validation. */
export { loadWorkerConfig } from "./load.js";
export { CONFIG_FILE_NAMES, DEFAULT_ENTRIES, ENTRY_EXTENSIONS } from "./locate.js";
export { WORKER_NAME_PATTERN, workerNameFromPath } from "./names.js";
export { MAX_CPU_MS } from "./schema.js";
export type { RouteConfig, WorkerConfig } from "./types.js";
