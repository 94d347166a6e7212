/**
 * @module Test support: start a real PoP on a loopback port with workers
 * written as source text, bundled the way `verge dev` bundles them.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { bundleWorker } from "../../src/bundler/index.js";
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
      definition: { name: worker.name, version: "v1", code, limits: defaultLimits(worker.limits), env: worker.env ?? {} },
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
