/**
 * @module AbortController and AbortSignal (DOM Standard §3): `abort()` with a
 * reason, `timeout()`, `any()`, `throwIfAborted()` and `onabort`.
 */
import { DOMException } from "./dom-exception.js";
import { brandSignal, Event, EventTarget, runAbortAlgorithms, trusted } from "./events.js";

const secret = Symbol("AbortSignal");
type Handler = ((this: AbortSignal, event: Event) => unknown) | null;

// Internal hooks into AbortSignal's private state, set in its static block.
let create: () => AbortSignal;
let signalAbort: (signal: AbortSignal, reason: unknown) => void;

const abortError = () => new DOMException("This operation was aborted", "AbortError");

export class AbortSignal extends EventTarget {
  #aborted = false;
  #reason: unknown = undefined;
  #onabort: Handler = null;
  #handlerInstalled = false;
  /** For a signal made by any(): the non-dependent signals it follows. */
  #sources: AbortSignal[] | null = null;
  #dependents: AbortSignal[] = [];

  static {
    create = () => new AbortSignal(secret);
    // The spec's "signal abort": dependents are marked aborted first, and fire after the source.
    signalAbort = (signal, reason) => {
      if (signal.#aborted) return;
      signal.#aborted = true;
      signal.#reason = reason === undefined ? abortError() : reason;
      const dependents = signal.#dependents.filter((dependent) => !dependent.#aborted);
      signal.#dependents = [];
      for (const dependent of dependents) {
        dependent.#aborted = true;
        dependent.#reason = signal.#reason;
      }
      for (const target of [signal, ...dependents]) {
        runAbortAlgorithms(target);
        target.dispatchEvent(trusted(new Event("abort")));
      }
    };
  }

  constructor(key?: symbol) {
    if (key !== secret) throw new TypeError("Illegal constructor: use new AbortController().signal");
    super();
    brandSignal(this);
  }
  get aborted(): boolean { return this.#aborted; }
  get reason(): unknown { return this.#reason; }
  throwIfAborted(): void {
    if (this.#aborted) throw this.#reason;
  }

  /** An event handler attribute: its listener takes its place among the others when first set. */
  get onabort(): Handler { return this.#onabort; }
  set onabort(handler: Handler) {
    this.#onabort = typeof handler === "function" ? handler : null;
    if (this.#onabort && !this.#handlerInstalled) {
      this.#handlerInstalled = true;
      this.addEventListener("abort", (event) => this.#onabort?.call(this, event));
    }
  }

  /** A signal that is already aborted with `reason` (an AbortError by default). */
  static abort(reason?: unknown): AbortSignal {
    const signal = create();
    signal.#aborted = true;
    signal.#reason = reason === undefined ? abortError() : reason;
    return signal;
  }

  /** A signal that aborts with a TimeoutError after `ms` milliseconds. */
  static timeout(ms: number): AbortSignal {
    const delay = Number(ms);
    if (!Number.isFinite(delay) || delay < 0 || delay > Number.MAX_SAFE_INTEGER) {
      throw new TypeError(`AbortSignal.timeout: ms must be a non-negative integer: received ${String(ms)}`);
    }
    const signal = create();
    setTimeout(() => signalAbort(signal, new DOMException("The operation timed out", "TimeoutError")), Math.trunc(delay));
    return signal;
  }

  /** A signal that aborts when the first of `signals` does, with its reason. */
  static any(signals: Iterable<AbortSignal>): AbortSignal {
    const list = [...signals];
    for (const signal of list) {
      if (!(signal instanceof AbortSignal)) throw new TypeError("AbortSignal.any: every element must be an AbortSignal");
    }
    const aborted = list.find((signal) => signal.aborted);
    if (aborted) return AbortSignal.abort(aborted.reason);
    const result = create();
    result.#sources = [];
    for (const signal of list) {
      for (const source of signal.#sources ?? [signal]) {
        if (result.#sources.includes(source)) continue;
        result.#sources.push(source);
        source.#dependents.push(result);
      }
    }
    return result;
  }

  get [Symbol.toStringTag](): string { return "AbortSignal"; }
}

export class AbortController {
  readonly #signal = create();
  get signal(): AbortSignal { return this.#signal; }
  /** Aborts the signal with `reason` (an AbortError by default); later calls do nothing. */
  abort(reason?: unknown): void {
    signalAbort(this.#signal, reason);
  }
  get [Symbol.toStringTag](): string { return "AbortController"; }
}
