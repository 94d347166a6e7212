/**
 * @module One isolate with the prelude loaded: the only place that enters it.
 * Every entry is synchronous (microtasks drain before it returns) and its CPU
 * time, read from the isolate's own CPU clock, is charged to one request. A
 * request over its CPU budget, or an isolate over its heap limit, ends the
 * isolate: every request in flight on it fails with the same code.
 */
import ivm from "isolated-vm";
import { Entry, ENTRY_GLOBAL, HOST_GLOBAL, type EntryKind } from "./bridge/protocol.js";
import { compilePrelude, type CachedScript } from "./prelude-script.js";
import type { BindingDescriptor } from "../bindings/types.js";
import type { OpTable } from "./ops.js";
import type { Invocation } from "./invocation.js";

export type SandboxDeath = "worker_exceeded_cpu" | "worker_exceeded_memory" | "disposed";

/**
 * isolated-vm's timeout runs on wall time, while the budget is CPU time: on a
 * busy machine a thread can be preempted mid-entry. The wall-clock timeout
 * gets this much slack over the remaining budget (half of it, at least 10 ms);
 * the exact CPU used is charged after every entry, and a request over its
 * budget is stopped then.
 */
function wallTimeoutMs(budgetMs: number): number {
  return Math.ceil(budgetMs + Math.max(10, budgetMs / 2));
}
/** CPU allowed for evaluating a worker's top-level code. */
export const STARTUP_CPU_MS = 1000;

const fatalHandler = (message: string): void => {
  // isolated-vm's catastrophic error: V8 lost control of an isolate. The
  // process is in an undefined state; fail loudly so a supervisor restarts it.
  process.stderr.write(`verge: fatal: isolated-vm catastrophic error: ${message}\n`);
  process.abort();
};

export class Sandbox {
  readonly isolate: ivm.Isolate;
  readonly context: ivm.Context;
  readonly #entry: ivm.Reference<(...args: unknown[]) => void>;
  readonly invocations = new Map<number, Invocation>();
  #ops: OpTable = {};
  #bindings: readonly BindingDescriptor[] = [];
  #worker = "";
  /** Invocations ended since the last entry: the next entry tells the isolate. */
  #ended: number[] = [];
  /** Host time spent in ops during the current entry: the isolate's CPU clock counts it, the tenant is not charged. */
  #opNs = 0n;
  #death: SandboxDeath | null = null;
  #onDeath: ((death: SandboxDeath) => void) | null = null;
  lastUsed = Date.now();

  private constructor(isolate: ivm.Isolate, context: ivm.Context, entry: ivm.Reference<(...args: unknown[]) => void>) {
    this.isolate = isolate;
    this.context = context;
    this.#entry = entry;
  }

  /** Creates an isolate, loads the prelude and takes its entry function. */
  static async create(memoryMb: number): Promise<Sandbox> {
    const isolate = new ivm.Isolate({ memoryLimit: memoryMb, onCatastrophicError: (message: string) => fatalHandler(message) });
    try {
      const context = await isolate.createContext();
      // The op function exists before the Sandbox does: it reaches it through this slot.
      const slot: { sandbox?: Sandbox } = {};
      const hostOp = new ivm.Callback((name: string, requestId: number, opId: number, args: unknown[]) => slot.sandbox?.dispatchOp(name, requestId, opId, args), { sync: true });
      await context.global.set(HOST_GLOBAL, hostOp);
      const prelude = await compilePrelude(isolate);
      await prelude.run(context);
      const entry = (await context.global.get(ENTRY_GLOBAL, { reference: true })) as ivm.Reference<(...args: unknown[]) => void>;
      await context.global.delete(ENTRY_GLOBAL);
      slot.sandbox = new Sandbox(isolate, context, entry);
      return slot.sandbox;
    } catch (error) {
      if (!isolate.isDisposed) isolate.dispose();
      throw error;
    }
  }

  get dead(): boolean {
    return this.#death !== null || this.isolate.isDisposed;
  }

  /** Gives this sandbox to a worker: its op table and what to do when it dies. */
  adopt(ops: OpTable, onDeath: (death: SandboxDeath) => void, owner: { worker: string; bindings: readonly BindingDescriptor[] }): void {
    this.#bindings = owner.bindings;
    this.#worker = owner.worker;
    this.#ops = ops;
    this.#onDeath = onDeath;
  }

  /** Runs a worker's bundled script, with the start-up CPU budget. */
  runScript(code: string, filename: string, cachedData?: ivm.ExternalCopy<ArrayBuffer>): ivm.ExternalCopy<ArrayBuffer> | undefined {
    const script = this.isolate.compileScriptSync(code, cachedData ? { filename, cachedData } : { filename, produceCachedData: true }) as CachedScript;
    this.#guarded(() => script.runSync(this.context, { timeout: STARTUP_CPU_MS }), undefined, STARTUP_CPU_MS);
    return cachedData ? undefined : script.cachedData;
  }

  /**
   * Enters the isolate for `invocation` (or for start-up when absent). Returns
   * false when the isolate died during the entry (and was disposed).
   */
  enter(kind: EntryKind, invocation: Invocation | undefined, a?: unknown, b?: unknown): boolean {
    if (this.dead) return false;
    this.lastUsed = Date.now();
    const budget = invocation ? invocation.cpuBudgetMs() : STARTUP_CPU_MS;
    if (budget <= 0) {
      this.kill("worker_exceeded_cpu");
      return false;
    }
    const ended = this.#ended;
    if (ended.length > 0) this.#ended = [];
    return this.#guarded(
      () => this.#entry.applySync(undefined, [Date.now(), kind, invocation?.id ?? 0, a, b, ended], { arguments: { copy: true }, timeout: wallTimeoutMs(budget) }),
      invocation,
      budget,
    );
  }

  #guarded(run: () => void, invocation: Invocation | undefined, budgetMs: number): boolean {
    this.#opNs = 0n;
    const start = this.isolate.cpuTime;
    let failure: unknown;
    try {
      run();
    } catch (error) {
      failure = error;
    }
    const usedMs = this.isolate.isDisposed ? budgetMs : Math.max(0, Number(this.isolate.cpuTime - start - this.#opNs) / 1e6);
    invocation?.chargeCpu(usedMs);
    if (failure !== undefined) {
      const death = classify(failure, this.isolate);
      if (death) {
        this.kill(death);
        return false;
      }
      if (!invocation) throw failure;
      // Tenant code broke the entry itself (e.g. by replacing a built-in the prelude uses).
      const error = failure instanceof Error ? failure : new Error(String(failure));
      invocation.threw({ name: error.name, message: error.message, stack: error.stack });
    }
    if (invocation && invocation.cpuBudgetMs() < 0) {
      this.kill("worker_exceeded_cpu");
      return false;
    }
    return true;
  }

  /**
   * Records an ended invocation; its state in the isolate is dropped at the
   * next entry, with no entry of its own. An invocation cut short (a client
   * gone, a time-out) may have left streams and timers behind, so one is made
   * soon for it.
   */
  noteEnded(requestId: number, flushSoon: boolean): void {
    if (this.dead) return;
    this.#ended.push(requestId);
    if (flushSoon) {
      setImmediate(() => {
        if (this.#ended.length > 0) this.enter(Entry.Tick, undefined);
      });
    }
  }

  /** Ends the isolate; every invocation in flight fails with `death`. */
  kill(death: SandboxDeath): void {
    if (this.#death) return;
    this.#death = death;
    if (!this.isolate.isDisposed) this.isolate.dispose();
    this.#onDeath?.(death);
  }

  dispose(): void {
    this.kill("disposed");
  }

  private dispatchOp(name: unknown, requestId: unknown, opId: unknown, args: unknown): unknown {
    const handler = typeof name === "string" ? this.#ops[name] : undefined;
    if (!handler || !Object.hasOwn(this.#ops, name as string)) throw new TypeError(`Unknown operation: ${String(name)}`);
    const invocation = typeof requestId === "number" ? this.invocations.get(requestId) : undefined;
    const start = process.hrtime.bigint();
    try {
      return handler({ invocation, opId: typeof opId === "number" ? opId : 0, bindings: this.#bindings, worker: this.#worker }, Array.isArray(args) ? args : []);
    } finally {
      this.#opNs += process.hrtime.bigint() - start;
    }
  }
}

function classify(error: unknown, isolate: ivm.Isolate): SandboxDeath | null {
  const message = error instanceof Error ? error.message : String(error);
  if (/memory limit/i.test(message)) return "worker_exceeded_memory";
  if (/execution timed out/i.test(message)) return "worker_exceeded_cpu";
  if (isolate.isDisposed) return "disposed";
  return null;
}
