/**
 * @module AbortController and AbortSignal, with `abort()`, `timeout()`,
 * `any()` and `throwIfAborted()`.
 */
import { DOMException } from "./dom-exception.js";
import { Event, EventTarget } from "./events.js";

const secret = Symbol("AbortSignal");

export class AbortSignal extends EventTarget {
  #aborted = false;
  #reason: unknown = undefined;
  onabort: ((event: Event) => void) | null = null;

  constructor(key?: symbol) {
    if (key !== secret) throw new TypeError("Illegal constructor: use new AbortController().signal");
    super();
  }
  get aborted(): boolean { return this.#aborted; }
  get reason(): unknown { return this.#reason; }
  throwIfAborted(): void {
    if (this.#aborted) throw this.#reason;
  }

  static abort(reason?: unknown): AbortSignal {
    const signal = new AbortSignal(secret);
    signal.#aborted = true;
    signal.#reason = reason === undefined ? new DOMException("This operation was aborted", "AbortError") : reason;
    return signal;
  }

  static timeout(ms: number): AbortSignal {
    const delay = Number(ms);
    if (!Number.isFinite(delay) || delay < 0) throw new TypeError(`AbortSignal.timeout: ms must be a non-negative number: received ${ms}`);
    const signal = new AbortSignal(secret);
    setTimeout(() => signalAbort(signal, new DOMException("The operation timed out", "TimeoutError")), delay);
    return signal;
  }

  static any(signals: Iterable<AbortSignal>): AbortSignal {
    const list = [...signals];
    const result = new AbortSignal(secret);
    const aborted = list.find((s) => s.aborted);
    if (aborted) return AbortSignal.abort(aborted.reason);
    for (const source of list) source.addEventListener("abort", () => signalAbort(result, source.reason), { once: true });
    return result;
  }

  static markAborted(signal: AbortSignal, reason: unknown): boolean {
    if (signal.#aborted) return false;
    signal.#aborted = true;
    signal.#reason = reason;
    return true;
  }
}

function signalAbort(signal: AbortSignal, reason: unknown): void {
  if (!AbortSignal.markAborted(signal, reason)) return;
  const event = new Event("abort");
  signal.onabort?.call(signal, event);
  signal.dispatchEvent(event);
}

export class AbortController {
  readonly #signal = new AbortSignal(secret);
  get signal(): AbortSignal { return this.#signal; }
  abort(reason?: unknown): void {
    signalAbort(this.#signal, reason === undefined ? new DOMException("This operation was aborted", "AbortError") : reason);
  }
}
