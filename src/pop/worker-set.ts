/**
 * @module The workers a PoP hosts, routed by hostname and path, with idle and
 * memory-pressure eviction of their isolates. Replacing a worker (a reload or
 * a deploy) lets requests in flight finish on the old version.
 */
import type { RuntimeHost, WorkerDefinition } from "../runtime/index.js";
import { WorkerRuntime } from "../runtime/index.js";
import { Router } from "./router.js";

export interface HostedWorker {
  definition: WorkerDefinition;
  /** wrangler route patterns; a worker with none gets requests no route matched when it is the fallback. */
  routes: string[];
}

export interface EvictionPolicy {
  /** Dispose an isolate unused for this long. */
  idleMs: number;
  /** Keep at most this many loaded isolates (least recently used go first). */
  maxLoaded: number;
  /** Memory pressure: above this much isolate heap in all, evict least recently used idle isolates. */
  maxHeapBytes: number;
}

export class WorkerSet {
  readonly #host: RuntimeHost;
  #runtimes = new Map<string, WorkerRuntime>();
  #router = new Router<WorkerRuntime>();
  #retired = new Set<WorkerRuntime>();

  constructor(host: RuntimeHost) {
    this.#host = host;
  }

  get runtimes(): WorkerRuntime[] {
    return [...this.#runtimes.values()];
  }

  /** Replaces the hosted workers. The first worker without routes (or `fallback`) gets unrouted requests. */
  replace(workers: HostedWorker[], fallback?: string): void {
    const next = new Map<string, WorkerRuntime>();
    for (const worker of workers) {
      const current = this.#runtimes.get(worker.definition.name);
      const same = current && current.definition.version === worker.definition.version;
      next.set(worker.definition.name, same ? current : new WorkerRuntime(worker.definition, this.#host));
    }
    const routes = workers.flatMap((w) => w.routes.map((pattern) => ({ pattern, target: next.get(w.definition.name)! })));
    const fallbackName = fallback ?? workers.find((w) => w.routes.length === 0)?.definition.name;
    const router = new Router(routes, fallbackName ? next.get(fallbackName) : undefined);
    for (const [name, runtime] of this.#runtimes) if (next.get(name) !== runtime) this.#retired.add(runtime);
    this.#runtimes = next;
    this.#router = router;
    this.#sweepRetired();
  }

  /** The current version of the worker called `name`. */
  get(name: string): WorkerRuntime | undefined {
    return this.#runtimes.get(name);
  }

  route(hostname: string, pathname: string): WorkerRuntime | undefined {
    return this.#router.match(hostname, pathname);
  }

  /** Disposes idle isolates and, over the cap, the least recently used idle ones. */
  evict(policy: EvictionPolicy, now = Date.now()): number {
    let evicted = 0;
    for (const runtime of this.#runtimes.values()) if (runtime.evictIfIdle(now, policy.idleMs)) evicted++;
    const loaded = [...this.#runtimes.values()].filter((r) => r.loaded).sort((a, b) => a.lastUsed - b.lastUsed);
    let count = loaded.length;
    const heaps = loaded.map((runtime) => runtime.heapBytes());
    let heap = heaps.reduce((sum, bytes) => sum + bytes, 0);
    for (const [i, runtime] of loaded.entries()) {
      if (count <= policy.maxLoaded && heap <= policy.maxHeapBytes) break;
      if (runtime.evictIfIdle(now, 0)) {
        evicted++;
        count--;
        heap -= heaps[i];
      }
    }
    this.#sweepRetired();
    return evicted;
  }

  #sweepRetired(): void {
    for (const runtime of this.#retired) {
      if (runtime.inFlight === 0) {
        runtime.dispose();
        this.#retired.delete(runtime);
      }
    }
  }

  get inFlight(): number {
    let n = 0;
    for (const runtime of [...this.#runtimes.values(), ...this.#retired]) n += runtime.inFlight;
    return n;
  }

  dispose(): void {
    for (const runtime of [...this.#runtimes.values(), ...this.#retired]) runtime.dispose();
    this.#runtimes.clear();
    this.#retired.clear();
  }
}
