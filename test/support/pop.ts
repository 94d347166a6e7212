/**
 * @module Test support: start a real PoP on a loopback port with workers
 * written as source text, bundled the way `verge dev` bundles them.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { BindingDescriptor } from "../../src/bindings/types.js";
import { bundleWorker } from "../../src/bundler/index.js";
import { loadWorkerConfig } from "../../src/config/index.js";
import { createCfLookup } from "../../src/pop/cf/index.js";
import { defaultLimits, type WorkerLimits } from "../../src/limits.js";
import { Pop, type PopOptions, type RequestLog } from "../../src/pop/server.js";
import { fetchWithHost } from "./http.js";

export interface TestWorker {
  name: string;
  /** Source of the entry module (index.js unless `files` says otherwise). */
  source?: string;
  files?: Record<string, string | Uint8Array>;
  entry?: string;
  routes?: string[];
  limits?: Partial<WorkerLimits>;
  env?: Record<string, unknown>;
  /** Binding descriptors (src/bindings), e.g. `{ name: "FLAGS", kind: "kv", config: { id: "flags" } }`. */
  bindings?: BindingDescriptor[];
}

export interface TestPop {
  pop: Pop;
  url: string;
  logs: RequestLog[];
  fetch(path: string, init?: RequestInit & { host?: string }): Promise<Response>;
  close(): Promise<void>;
}

/** Writes a worker's files into a temp dir and bundles it. */
export async function bundleTestWorker(worker: TestWorker): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `verge-${worker.name}-`));
  const files = worker.files ?? { "index.js": worker.source ?? "" };
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  const bundle = await bundleWorker(join(dir, worker.entry ?? Object.keys(files)[0]), { maxBytes: Infinity });
  return bundle.code;
}

export async function startTestPop(workers: TestWorker[], options: Partial<PopOptions> = {}): Promise<TestPop> {
  const logs: RequestLog[] = [];
  const pop = await Pop.start({ name: "test", port: 0, dev: true, egress: { allowLocal: true }, poolSize: 1, onRequest: (log) => logs.push(log), ...options });
  const hosted = [];
  for (const worker of workers) {
    const code = await bundleTestWorker(worker);
    hosted.push({
      definition: { name: worker.name, version: "v1", code, limits: defaultLimits(worker.limits), env: worker.env ?? {}, bindings: worker.bindings },
      routes: worker.routes ?? [],
    });
  }
  pop.setWorkers(hosted);
  return {
    pop,
    url: pop.url,
    logs,
    fetch(path, init = {}) {
      return init.host ? fetchWithHost(`${pop.url}${path}`, init.host, init) : fetch(`${pop.url}${path}`, init);
    },
    close: () => pop.close(1000),
  };
}

/** Options of startPopForDirectory. */
export interface DirectoryPopOptions {
  /** Merged over the config's vars, as secrets are. */
  env?: Record<string, unknown>;
  pop?: Partial<PopOptions>;
}

/**
 * Start a PoP hosting the worker of a directory, loaded the way `verge dev`
 * loads it: its wrangler file, vars, limits and bundled main.
 * @example const pop = await startPopForDirectory("examples/edge-middleware", { env: { ORIGIN_URL: origin.url } });
 */
export async function startPopForDirectory(dir: string, options: DirectoryPopOptions = {}): Promise<TestPop> {
  const config = await loadWorkerConfig(dir);
  const { code } = await bundleWorker(config.main);
  // Pop.start does not wait for the geolocation databases: without this, the
  // first requests get a request.cf with no country.
  const cf = options.pop?.cf ?? createCfLookup();
  await cf.ready;
  const logs: RequestLog[] = [];
  const pop = await Pop.start({ name: "test", port: 0, dev: true, egress: { allowLocal: true }, poolSize: 1, onRequest: (log) => logs.push(log), ...options.pop, cf });
  pop.setWorkers([
    {
      definition: { name: config.name, version: "v1", code, limits: defaultLimits(config.limits), env: { ...config.vars, ...options.env } },
      routes: [],
    },
  ]);
  return {
    pop,
    url: pop.url,
    logs,
    fetch(path, init = {}) {
      const headers = new Headers(init.headers);
      if (init.host) headers.set("host", init.host);
      return fetch(`${pop.url}${path}`, { ...init, headers });
    },
    close: () => pop.close(1000),
  };
}
