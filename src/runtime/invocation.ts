/**
 * @module One request's life on the host: its CPU account, subrequests,
 * timers, streams and console lines, the outcome the PoP sends, and the
 * waitUntil work that may outlive the response.
 */
import { Entry, type WireError } from "./bridge/protocol.js";
import type { PlatformErrorCode } from "../errors.js";
import type { WorkerLimits } from "../limits.js";
import type { Sandbox } from "./sandbox.js";
import { StreamTable } from "./stream-table.js";
import type { UpgradedSocket } from "./websocket/hosted-socket.js";
import type { RequestTrace } from "../observe/tracing/index.js";

export interface InvocationResponse {
  status: number;
  statusText: string;
  /** Flat `[name, value, …]`, as node:http's writeHead takes them. */
  headers: string[];
  body: Uint8Array | string | AsyncIterable<Uint8Array> | null;
  /** A 101 carries the host side of the WebSocket it returned: attach a peer to it (src/runtime/websocket). */
  webSocket?: UpgradedSocket;
}

export type InvocationOutcome =
  | { ok: true; response: InvocationResponse }
  | { ok: false; code: PlatformErrorCode; message: string; passThrough: boolean };

export interface LogLine {
  level: string;
  message: string;
}

let nextInvocationId = 1;

export class Invocation {
  readonly id = nextInvocationId++;
  readonly sandbox: Sandbox;
  readonly limits: WorkerLimits;
  readonly logs: LogLine[] = [];
  #streams: StreamTable | null = null;
  /** What the invocation runs for beyond a request, set by a binding (a Durable Object event); its ops read it. */
  scope: unknown = undefined;
  cpuMs = 0;
  subrequests = 0;
  passThrough = false;
  readonly outcome: Promise<InvocationOutcome>;
  #resolveOutcome!: (outcome: InvocationOutcome) => void;
  #settled = false;
  #cleanups: (() => void)[] | null = null;
  /** Made on first use: most requests use no timer and no stream. */
  #timers: Map<number, NodeJS.Timeout> | null = null;
  #waitUntilDone = false;
  #responseDone = false;
  #waitUntilTimer: NodeJS.Timeout | undefined;
  #ended = false;
  /** CPU charged before the current budget began (see freshCpuBudget). */
  #cpuBase = 0;
  #failListeners: ((code: PlatformErrorCode, message: string) => void)[] | null = null;
  #trace: RequestTrace | undefined;

  constructor(sandbox: Sandbox, limits: WorkerLimits) {
    this.sandbox = sandbox;
    this.limits = limits;
    this.outcome = new Promise((resolve) => (this.#resolveOutcome = resolve));
    sandbox.invocations.set(this.id, this);
  }

  /** True once the outcome (a response or a platform error) is decided. */
  get settled(): boolean {
    return this.#settled;
  }

  /** Runs `cleanup` when the invocation ends. */
  onEnd(cleanup: () => void): void {
    (this.#cleanups ??= []).push(cleanup);
  }

  /** The request's trace (src/observe/tracing) when tracing is on: its subrequests and binding calls add spans to it. */
  get trace(): RequestTrace | undefined {
    return this.#trace;
  }

  /** Runs for `trace`'s request: the trace is exported only after this invocation ends. */
  traceWith(trace: RequestTrace): void {
    this.#trace = trace;
    trace.hold();
  }

  /** Streams crossing the bridge for this request. */
  get streams(): StreamTable {
    return (this.#streams ??= new StreamTable(this));
  }

  get ended(): boolean {
    return this.#ended;
  }

  cpuBudgetMs(): number {
    return this.limits.cpuMs - (this.cpuMs - this.#cpuBase);
  }

  /**
   * Starts a new CPU budget of `limits.cpuMs`. A WebSocket can live for hours,
   * so each event entering the isolate for it gets one, as a request does;
   * `cpuMs` keeps the total.
   */
  freshCpuBudget(): void {
    this.#cpuBase = this.cpuMs;
  }

  /** Runs `listener` when the invocation fails, also after its outcome: a WebSocket it returned must close. */
  onFail(listener: (code: PlatformErrorCode, message: string) => void): void {
    (this.#failListeners ??= []).push(listener);
  }

  chargeCpu(ms: number): void {
    this.cpuMs += ms;
  }

  /** Enters the isolate on behalf of this request, later (never from inside an op). */
  enterSoon(kind: Parameters<Sandbox["enter"]>[0], a?: unknown, b?: unknown): void {
    setImmediate(() => {
      if (!this.#ended) this.sandbox.enter(kind, this, a, b);
    });
  }

  /** Settles async op `opId` in the isolate. */
  settle(opId: number, ok: boolean, value: unknown): void {
    this.#trace?.opSettled(opId, ok, value);
    this.enterSoon(Entry.Settle, opId, [ok, value]);
  }

  rejectWith(opId: number, name: string, message: string): void {
    this.settle(opId, false, { name, message } satisfies WireError);
  }

  respond(response: InvocationResponse): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#resolveOutcome({ ok: true, response });
  }

  /** The worker threw: the client gets a platform error, the log gets the stack. */
  threw(error: WireError): void {
    this.logs.push({ level: "error", message: `Uncaught ${error.stack ?? `${error.name}: ${error.message}`}` });
    this.fail("worker_threw_exception", "The worker threw an exception");
  }

  fail(code: PlatformErrorCode, message: string): void {
    if (!this.#settled) {
      this.#settled = true;
      this.#resolveOutcome({ ok: false, code, message, passThrough: this.passThrough });
    }
    this.#streams?.failAll(new Error(message));
    if (this.#failListeners) for (const listener of this.#failListeners.splice(0)) listener(code, message);
    // A dead isolate ends its invocations now; other failures still let waitUntil work run.
    if (code === "worker_exceeded_cpu" || code === "worker_exceeded_memory" || code === "worker_unavailable") this.end();
  }

  setTimer(timerId: number, delayMs: number): void {
    this.#timers ??= new Map();
    clearTimeout(this.#timers.get(timerId));
    this.#timers.set(
      timerId,
      setTimeout(() => {
        this.#timers?.delete(timerId);
        if (!this.#ended) this.sandbox.enter(Entry.Timer, this, timerId);
      }, delayMs),
    );
  }

  clearTimer(timerId: number): void {
    clearTimeout(this.#timers?.get(timerId));
    this.#timers?.delete(timerId);
  }

  /** The isolate reports every waitUntil promise settled. */
  waitUntilSettled(): void {
    this.#waitUntilDone = true;
    this.#maybeEnd();
  }

  /** The PoP finished sending the response (or gave up on it). */
  responseFinished(): void {
    if (this.#responseDone) return;
    this.#responseDone = true;
    if (!this.#waitUntilDone && !this.#ended) {
      this.#waitUntilTimer = setTimeout(() => {
        this.logs.push({ level: "warn", message: `waitUntil work exceeded ${this.limits.waitUntilMs} ms and was cancelled` });
        this.end();
      }, this.limits.waitUntilMs);
    }
    this.#maybeEnd();
  }

  /** The client went away before the response was sent: request.signal aborts (even if the invocation ends meanwhile). */
  abort(): void {
    setImmediate(() => {
      if (!this.sandbox.dead) this.sandbox.enter(Entry.Abort, this);
    });
  }

  #maybeEnd(): void {
    if (this.#responseDone && this.#waitUntilDone) this.end();
  }

  /** Ends the invocation; the isolate drops its side at its next entry. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    clearTimeout(this.#waitUntilTimer);
    if (this.#timers) for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers = null;
    this.#streams?.closeAll();
    if (this.#cleanups) for (const cleanup of this.#cleanups.splice(0)) cleanup();
    const abnormal = !(this.#responseDone && this.#waitUntilDone);
    this.sandbox.invocations.delete(this.id);
    this.sandbox.noteEnded(this.id, abnormal);
    this.#trace?.release();
  }
}
