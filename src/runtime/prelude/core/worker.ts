/**
 * @module The worker contract inside the isolate: the module form
 * (`export default { fetch(request, env, ctx) }`) and the service-worker form
 * (`addEventListener("fetch", …)`), env, ctx.waitUntil and
 * ctx.passThroughOnException, and delivery of the Response to the host.
 * Scheduled events are in scheduled.ts.
 */
import { Op, WORKER_GLOBAL, type IncomingBody, type WireInit } from "../../bridge/protocol.js";
import { bodyToWire } from "../fetch/fetch.js";
import { headersToFlat } from "../fetch/headers.js";
import { incomingRequest } from "../fetch/request.js";
import { Response } from "../fetch/response.js";
import { bindingShims } from "../bindings.js";
import { respondWithWebSocket } from "../web/websocket.js";
import { opSyncFor, toWireError } from "./bridge.js";
import { jsonStringify } from "./primordials.js";

type FetchHandler = (request: unknown, env: unknown, ctx: unknown) => unknown;

const fetchListeners: ((event: FetchEvent) => void)[] = [];
/** Listeners of the service-worker form's "scheduled" event (dispatched by scheduled.ts). */
export const scheduledListeners: ((event: never) => void)[] = [];
let moduleHandler: FetchHandler | null = null;
let exportsObject: Record<string, unknown> | null = null;
let env: Record<string, unknown> = Object.create(null);
const aborts = new Map<number, AbortController>();

/** The `ctx` of a handler: waitUntil, passThroughOnException. */
export class ExecutionContext {
  readonly #requestId: number;
  readonly #waits: Promise<unknown>[];
  constructor(requestId: number, waits: Promise<unknown>[]) {
    this.#requestId = requestId;
    this.#waits = waits;
  }
  waitUntil(promise: unknown): void {
    this.#waits.push(Promise.resolve(promise));
  }
  passThroughOnException(): void {
    opSyncFor(this.#requestId, Op.PassThrough);
  }
  get props(): Record<string, unknown> {
    return {};
  }
  get [Symbol.toStringTag](): string {
    return `ExecutionContext(${this.#requestId})`;
  }
}

class FetchEvent {
  readonly type = "fetch";
  #responded = false;
  constructor(
    readonly request: unknown,
    private readonly ctx: ExecutionContext,
    private readonly respond: (value: unknown) => void,
  ) {}
  respondWith(value: unknown): void {
    if (this.#responded) throw new DOMException("FetchEvent.respondWith() was already called", "InvalidStateError");
    this.#responded = true;
    this.respond(value);
  }
  waitUntil(promise: unknown): void {
    this.ctx.waitUntil(promise);
  }
  passThroughOnException(): void {
    this.ctx.passThroughOnException();
  }
}

/** addEventListener for the service-worker form; "fetch" and "scheduled" events are dispatched. */
export function addEventListener(type: string, listener: (event: FetchEvent) => void): void {
  if (typeof listener !== "function") return;
  if (type === "fetch") fetchListeners.push(listener);
  else if (type === "scheduled") scheduledListeners.push(listener);
}

/** Entry `init`: take the worker's exports and its env. */
export function initWorker(init: WireInit): void {
  const g = globalThis as unknown as Record<string, unknown>;
  exportsObject = (g[WORKER_GLOBAL] as Record<string, unknown> | undefined) ?? {};
  // esbuild declares it with `var`, which cannot be deleted: clear it instead.
  g[WORKER_GLOBAL] = undefined;
  env = Object.assign(Object.create(null), init.env);
  for (const binding of init.bindings) {
    const shim = bindingShims[binding.kind];
    if (!shim) throw new TypeError(`Unknown binding kind "${binding.kind}" for env.${binding.name}`);
    env[binding.name] = shim(binding.name, binding.config);
  }
  const handler = exportsObject.default as { fetch?: unknown; scheduled?: unknown } | undefined;
  if (handler && typeof handler.fetch === "function") {
    moduleHandler = (handler.fetch as FetchHandler).bind(handler);
  } else if (fetchListeners.length === 0 && typeof handler?.scheduled !== "function" && scheduledListeners.length === 0) {
    throw new TypeError("The worker has no fetch or scheduled handler: export default { fetch(request, env, ctx) { … } } or call addEventListener(\"fetch\", …)");
  }
}

/** The worker's `env` and one of its named exports, for bindings that run the worker's own classes (Durable Objects). */
export function workerEnv(): Record<string, unknown> {
  return env;
}

export function workerExport(name: string): unknown {
  return exportsObject && Object.hasOwn(exportsObject, name) ? exportsObject[name] : undefined;
}

export function sendResponse(requestId: number, value: unknown): void {
  if (!(value instanceof Response)) {
    throw new TypeError(`The fetch handler did not return a Response: received ${value === null ? "null" : typeof value === "object" ? Object.prototype.toString.call(value) : typeof value}`);
  }
  if (value.webSocket !== null) return respondWithWebSocket(requestId, value);
  const status = value.status;
  // Flat, JSON and bare values: the cheapest shapes to copy across (see Op.Respond).
  const body = bodyToWire(value.sendableBody());
  opSyncFor(requestId, Op.Respond, status === 0 ? 500 : status, value.statusText, jsonStringify(headersToFlat(value.headers)), body === null ? null : "stream" in body ? body.stream : "text" in body ? body.text : body.bytes);
}

/** Entry `fetch`: run the handler and hand the Response (or the error) to the host. */
export function dispatchFetch(requestId: number, metaJson: string, body: IncomingBody): void {
  const controller = new AbortController();
  aborts.set(requestId, controller);
  const request = incomingRequest(metaJson, body, controller.signal);
  const waits: Promise<unknown>[] = [];
  const ctx = new ExecutionContext(requestId, waits);
  let result: Promise<unknown>;
  if (!moduleHandler && fetchListeners.length === 0) {
    result = Promise.reject(new TypeError("The worker has no fetch handler: export default { fetch(request, env, ctx) { … } }"));
  } else if (moduleHandler) {
    try {
      result = Promise.resolve(moduleHandler(request, env, ctx));
    } catch (error) {
      result = Promise.reject(error);
    }
  } else {
    result = new Promise((resolve, reject) => {
      let responded = false;
      const event = new FetchEvent(request, ctx, (value) => {
        responded = true;
        resolve(value);
      });
      try {
        for (const listener of fetchListeners) listener(event);
      } catch (error) {
        reject(error);
        return;
      }
      if (!responded) reject(new TypeError("No fetch listener called respondWith()"));
    });
  }
  result
    .then((value) => sendResponse(requestId, value))
    .catch((error: unknown) => opSyncFor(requestId, Op.Throw, toWireError(error)))
    .finally(() => settleWaits(requestId, waits));
}

/** Reports to the host when every waitUntil promise has settled. */
export async function settleWaits(requestId: number, waits: Promise<unknown>[]): Promise<void> {
  // Waits may be added while earlier ones run: settle until none are left.
  for (let done = 0; done < waits.length; done = waits.length) {
    const batch = waits.slice(done);
    for (const outcome of await Promise.allSettled(batch)) {
      if (outcome.status === "rejected") {
        const error = toWireError(outcome.reason);
        opSyncFor(requestId, Op.Log, "error", `Uncaught (in waitUntil) ${error.stack ?? error.message}`);
      }
    }
  }
  opSyncFor(requestId, Op.WaitUntil);
}

/** Entry `abort`: the client disconnected. */
export function abortRequest(requestId: number): void {
  aborts.get(requestId)?.abort(new DOMException("The client disconnected", "AbortError"));
}

/** The invocation ended (see entry.ts): forget it. */
export function endRequest(requestId: number): void {
  aborts.delete(requestId);
}
