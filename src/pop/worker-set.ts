/**
 * @module The workers a PoP hosts, routed by hostname and path, with idle and
 * memory-pressure eviction of their isolates. Replacing a worker (a reload or
 * a deploy) lets requests in flight finish on the old version; a version kept
 * across a replace keeps its isolate.
 */
import type { RuntimeHost, WorkerDefinition } from "../runtime/index.js";
import { WorkerRuntime } from "../runtime/index.js";
import { Router } from "./router.js";
import type { WorkerSlot } from "./version-split.js";

export interface HostedWorker {
  /** The version most clients get (and Durable Objects run). */
  definition: WorkerDefinition;
  /**
   * wrangler route patterns. Every worker is also reached at host
   * `<name>.localhost`; a worker with no routes gets the requests no route
   * matched when it is the fallback.
   */
  routes: string[];
  /** During a gradual rollout: the other version, the share of clients it gets, and what keeps a client on one side. */
  split?: { definition: WorkerDefinition; percent: number; sticky: string };
  /** Secret values by name, replaced by `[secret NAME]` in the worker's log lines. */
  secrets?: Record<string, string>;
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
  #splits = new Map<string, WorkerRuntime>();
  #router = new Router<WorkerSlot>();
  #retired = new Set<WorkerRuntime>();
  #secrets = new Map<string, [name: string, value: string][]>();

  constructor(host: RuntimeHost) {
    this.#host = host;
  }

  /** Every version hosted now, the splits' included. */
  get runtimes(): WorkerRuntime[] {
    return [...this.#runtimes.values(), ...this.#splits.values()];
  }

  /**
   * Replaces the hosted workers. Unrouted requests go to `fallback`, else to
   * the only worker without routes (with several, to none).
   */
  replace(workers: HostedWorker[], fallback?: string): void {
    const existing = new Map(this.runtimes.map((runtime) => [runtime.definition, runtime]));
    const byVersion = new Map(this.runtimes.map((runtime) => [`${runtime.definition.name}@${runtime.definition.version}`, runtime]));
    // The same version with the same env keeps its isolate; a new env (a secret changed) gets a new one.
    const runtimeFor = (definition: WorkerDefinition) => {
      const known = existing.get(definition) ?? byVersion.get(`${definition.name}@${definition.version}`);
      return known && sameEnv(known.definition, definition) ? known : new WorkerRuntime(definition, this.#host);
    };
    const next = new Map<string, WorkerRuntime>();
    const splits = new Map<string, WorkerRuntime>();
    const slots = new Map<string, WorkerSlot>();
    for (const worker of workers) {
      const name = worker.definition.name;
      const slot: WorkerSlot = { primary: runtimeFor(worker.definition) };
      if (worker.split) {
        slot.split = { runtime: runtimeFor(worker.split.definition), percent: worker.split.percent, sticky: worker.split.sticky };
        splits.set(name, slot.split.runtime);
      }
      next.set(name, slot.primary);
      slots.set(name, slot);
    }
    const routes = workers.flatMap((w) => [...w.routes, `${w.definition.name}.localhost/*`].map((pattern) => ({ pattern, target: slots.get(w.definition.name)! })));
    const unrouted = workers.filter((w) => w.routes.length === 0);
    const fallbackName = fallback ?? (unrouted.length === 1 ? unrouted[0].definition.name : undefined);
    const router = new Router(routes, fallbackName ? slots.get(fallbackName) : undefined);
    const kept = new Set([...next.values(), ...splits.values()]);
    for (const runtime of this.runtimes) if (!kept.has(runtime)) this.#retired.add(runtime);
    this.#runtimes = next;
    this.#splits = splits;
    this.#router = router;
    this.#secrets = new Map(workers.flatMap((w) => (w.secrets && Object.keys(w.secrets).length > 0 ? [[w.definition.name, Object.entries(w.secrets)]] : [])));
    this.#sweepRetired();
  }

  /** `text` with the values of `worker`'s secrets replaced by `[secret NAME]`. */
  redact(worker: string, text: string): string {
    const secrets = this.#secrets.get(worker);
    if (!secrets) return text;
    for (const [name, value] of secrets) if (value !== "" && text.includes(value)) text = text.split(value).join(`[secret ${name}]`);
    return text;
  }

  /** Whether `worker` has secrets to redact from its log lines. */
  hasSecrets(worker: string): boolean {
    return this.#secrets.has(worker);
  }

  /** The current version of the worker called `name`. */
  get(name: string): WorkerRuntime | undefined {
    return this.#runtimes.get(name);
  }

  route(hostname: string, pathname: string): WorkerSlot | undefined {
    return this.#router.match(hostname, pathname);
  }

  /** Disposes idle isolates and, over the cap, the least recently used idle ones. */
  evict(policy: EvictionPolicy, now = Date.now()): number {
    let evicted = 0;
    for (const runtime of this.runtimes) if (runtime.evictIfIdle(now, policy.idleMs)) evicted++;
    const loaded = this.runtimes.filter((r) => r.loaded).sort((a, b) => a.lastUsed - b.lastUsed);
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
    for (const runtime of [...this.runtimes, ...this.#retired]) n += runtime.inFlight;
    return n;
  }

  dispose(): void {
    for (const runtime of [...this.runtimes, ...this.#retired]) runtime.dispose();
    this.#runtimes.clear();
    this.#splits.clear();
    this.#retired.clear();
  }
}

function sameEnv(a: WorkerDefinition, b: WorkerDefinition): boolean {
  return a === b || JSON.stringify(a.env) === JSON.stringify(b.env);
}
