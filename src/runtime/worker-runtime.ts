/**
 * @module One worker version at a PoP: its bundle, limits and env, and the
 * sandbox it runs in (taken from the pool on a cold start, recreated after a
 * limit kill, evicted when idle).
 */
import type ivm from "isolated-vm";
import { Entry, type IncomingBody, type IncomingMeta, type WireInit } from "./bridge/protocol.js";
import { VergeError } from "../errors.js";
import type { AdminHandler } from "../pop/admin.js";
import type { BindingDescriptor, BindingServices } from "../bindings/types.js";
import type { WorkerLimits } from "../limits.js";
import type { RequestTrace } from "../observe/tracing/index.js";
import { Invocation } from "./invocation.js";
import type { IsolatePool } from "./isolate-pool.js";
import type { OpTable } from "./ops.js";
import type { Sandbox, SandboxDeath } from "./sandbox.js";

export interface WorkerDefinition {
  name: string;
  /** Version id (content hash of the bundle, or a deployment's version). */
  version: string;
  /** The bundled script (esbuild iife leaving its namespace in __verge_worker). */
  code: string;
  limits: WorkerLimits;
  env: Record<string, unknown>;
  /** Bindings for the shims (src/bindings); none by default. */
  bindings?: BindingDescriptor[];
}

export interface RuntimeHost {
  pool: IsolatePool;
  ops: OpTable;
  pop: string;
  /** Tells the bindings a worker version using them is hosted here. */
  prepareBindings?(bindings: readonly BindingDescriptor[]): void;
  /** Tells the bindings how to find the current version of a worker by name. */
  locateWorkers?(find: (name: string) => WorkerRuntime | undefined): void;
  /** Stops the bindings' background work (the PoP is closing). */
  closeBindings?(): Promise<void>;
  /** The bindings' dev control areas (`/__verge/<area>/…`), by area. */
  adminAreas?: ReadonlyMap<string, AdminHandler>;
  /** What the PoP's bindings share; their statistics are found by it (kvStats, durableObjectStats). */
  bindingServices?: BindingServices;
}

/** A request as the runtime takes it: the body is bytes, a stream or nothing. */
export interface InvokeRequest {
  method: string;
  url: string;
  /** Flat `[name, value, …]`, names lower-case. */
  headers: string[];
  /** JSON of `request.cf` (parsed in the isolate only if the worker reads it). */
  cfJson?: string;
  body: Uint8Array | AsyncIterable<Uint8Array> | null;
  cancelBody?: () => void;
  /** The request's trace when tracing is on (src/observe/tracing): held by the invocation. */
  trace?: RequestTrace;
}

/** One cron tick for the worker's `scheduled` handler. */
export interface ScheduledEvent {
  /** The cron expression, as configured. */
  cron: string;
  /** When the tick was due (ms since the epoch). */
  scheduledTime: number;
}

export interface WorkerStats {
  coldStarts: number;
  limitKills: number;
}

export class WorkerRuntime {
  readonly definition: WorkerDefinition;
  readonly #host: RuntimeHost;
  #sandbox: Sandbox | null = null;
  #starting: Promise<Sandbox> | null = null;
  #cachedData: ivm.ExternalCopy<ArrayBuffer> | undefined;
  readonly stats: WorkerStats = { coldStarts: 0, limitKills: 0 };

  constructor(definition: WorkerDefinition, host: RuntimeHost) {
    const bytes = Buffer.byteLength(definition.code);
    if (bytes > definition.limits.bundleBytes) {
      throw new VergeError("script_too_large", `Worker "${definition.name}" is ${(bytes / 1e6).toFixed(1)} MB, over the ${definition.limits.bundleBytes / 1e6} MB limit`);
    }
    this.definition = definition;
    this.#host = host;
    if (definition.bindings?.length) host.prepareBindings?.(definition.bindings);
  }

  get inFlight(): number {
    return this.#sandbox?.invocations.size ?? 0;
  }

  get loaded(): boolean {
    return this.#sandbox !== null && !this.#sandbox.dead;
  }

  get lastUsed(): number {
    return this.#sandbox?.lastUsed ?? 0;
  }

  /** Starts an invocation; its `outcome` says what to send. Never throws for worker faults. */
  invoke(request: InvokeRequest): Invocation | Promise<Invocation> {
    // Synchronous when the isolate is up (the common case): no promise on the hot path.
    const sandbox = this.#sandbox;
    if (sandbox && !sandbox.dead) return this.#invokeOn(sandbox, request);
    return this.#ensureSandbox().then((started) => this.#invokeOn(started, request));
  }

  #invokeOn(sandbox: Sandbox, request: InvokeRequest): Invocation {
    const invocation = new Invocation(sandbox, this.definition.limits);
    if (request.trace) invocation.traceWith(request.trace);
    if (sandbox.dead) {
      invocation.fail("worker_unavailable", "The worker's isolate is not available");
      return invocation;
    }
    let body: IncomingBody = null;
    if (request.body instanceof Uint8Array) body = request.body;
    else if (request.body) body = invocation.streams.offer(request.body, request.cancelBody);
    const meta: IncomingMeta = [request.method, request.url, request.cfJson ?? "", ...request.headers];
    sandbox.enter(Entry.Fetch, invocation, JSON.stringify(meta), body);
    return invocation;
  }

  /**
   * Starts an invocation for a binding's event (entry `binding`): a Durable
   * Object's fetch, call or alarm. `scope` is set on the invocation for the
   * binding's ops. Never throws for worker faults.
   */
  invokeEvent(header: unknown, payload: unknown, scope: unknown): Invocation | Promise<Invocation> {
    return this.#enterEvent(Entry.Binding, header, payload, scope);
  }

  /**
   * Starts an invocation of the worker's `scheduled` handler for one cron
   * tick (`controller.cron`, `controller.scheduledTime`), under the same CPU
   * limit as a request. Its outcome is an empty response whose status is
   * `ScheduledStatus.Done` (the handler finished) or `.NoHandler`, or the
   * failure (a thrown error, a limit). The caller calls `responseFinished()`
   * once it has the outcome, so that waitUntil work runs to its end or its
   * limit. Never throws for worker faults. See src/cron/run.ts.
   */
  scheduled(event: ScheduledEvent): Invocation | Promise<Invocation> {
    return this.#enterEvent(Entry.Scheduled, event.cron, event.scheduledTime, undefined);
  }

  #enterEvent(kind: typeof Entry.Binding | typeof Entry.Scheduled, a: unknown, b: unknown, scope: unknown): Invocation | Promise<Invocation> {
    const sandbox = this.#sandbox;
    const start = (on: Sandbox) => {
      const invocation = new Invocation(on, this.definition.limits);
      invocation.scope = scope;
      if (on.dead) invocation.fail("worker_unavailable", "The worker's isolate is not available");
      else on.enter(kind, invocation, a, b);
      return invocation;
    };
    if (sandbox && !sandbox.dead) return start(sandbox);
    return this.#ensureSandbox().then(start);
  }

  /** Delivers a binding's event that needs no answer, only if the isolate is loaded (e.g. forget an evicted object). */
  notify(header: unknown, payload: unknown): void {
    const sandbox = this.#sandbox;
    if (sandbox && !sandbox.dead) sandbox.enter(Entry.Binding, undefined, header, payload);
  }

  /** Starts the isolate now (a check of an upload); rejects with `worker_threw_exception` and the reason when it cannot start. */
  async load(): Promise<void> {
    await this.#ensureSandbox();
  }

  async #ensureSandbox(): Promise<Sandbox> {
    if (this.#sandbox && !this.#sandbox.dead) return this.#sandbox;
    this.#starting ??= this.#start().finally(() => (this.#starting = null));
    return this.#starting;
  }

  async #start(): Promise<Sandbox> {
    const sandbox = await this.#host.pool.take(this.definition.limits.memoryMb);
    this.stats.coldStarts += 1;
    sandbox.adopt(this.#host.ops, (death) => this.#onDeath(sandbox, death), { worker: this.definition.name, bindings: this.definition.bindings ?? [] });
    this.#sandbox = sandbox;
    const fail = (message: string) => {
      sandbox.dispose();
      return new VergeError("worker_threw_exception", message);
    };
    try {
      const produced = sandbox.runScript(this.definition.code, `worker:${this.definition.name}`, this.#cachedData);
      if (produced) this.#cachedData = produced;
      const init: WireInit = { env: this.definition.env, bindings: this.definition.bindings ?? [], pop: this.#host.pop };
      if (!sandbox.enter(Entry.Init, undefined, init)) throw fail("The worker exceeded a limit while starting");
    } catch (error) {
      if (error instanceof VergeError) throw error;
      throw fail(`The worker failed to start: ${error instanceof Error ? error.message : String(error)}`);
    }
    return sandbox;
  }

  #onDeath(sandbox: Sandbox, death: SandboxDeath): void {
    if (this.#sandbox === sandbox) this.#sandbox = null;
    if (death === "disposed") {
      for (const invocation of [...sandbox.invocations.values()]) invocation.fail("worker_unavailable", "The worker's isolate was shut down");
      return;
    }
    this.stats.limitKills += 1;
    const message = death === "worker_exceeded_cpu" ? `Worker exceeded its CPU time limit of ${this.definition.limits.cpuMs} ms` : `Worker exceeded its memory limit of ${this.definition.limits.memoryMb} MB`;
    for (const invocation of [...sandbox.invocations.values()]) invocation.fail(death, message);
  }

  /** Disposes the isolate if no request is using it and it has been idle for `idleMs`. */
  evictIfIdle(now: number, idleMs: number): boolean {
    const sandbox = this.#sandbox;
    if (!sandbox || sandbox.invocations.size > 0 || now - sandbox.lastUsed < idleMs) return false;
    this.#sandbox = null;
    sandbox.dispose();
    return true;
  }

  /** Heap in use by this worker's isolate, in bytes (0 when not loaded). */
  heapBytes(): number {
    const sandbox = this.#sandbox;
    if (!sandbox || sandbox.dead) return 0;
    const stats = sandbox.isolate.getHeapStatisticsSync();
    return stats.used_heap_size + stats.externally_allocated_size;
  }

  dispose(): void {
    const sandbox = this.#sandbox;
    this.#sandbox = null;
    sandbox?.dispose();
  }
}
