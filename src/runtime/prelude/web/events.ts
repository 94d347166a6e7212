/**
 * @module Event and EventTarget (DOM Standard), with `once`, `signal`,
 * `passive`, handleEvent objects and stopImmediatePropagation.
 */
type Listener = ((event: Event) => void) | { handleEvent(event: Event): void };
interface Registration {
  listener: Listener;
  once: boolean;
  capture: boolean;
}

export class Event {
  readonly #type: string;
  readonly #bubbles: boolean;
  readonly #cancelable: boolean;
  readonly #timeStamp = Date.now();
  #defaultPrevented = false;
  #stopImmediate = false;
  #target: EventTarget | null = null;
  #dispatching = false;

  constructor(type: string, init: { bubbles?: boolean; cancelable?: boolean; composed?: boolean } = {}) {
    if (arguments.length === 0) throw new TypeError("Event constructor: the type argument is required");
    this.#type = String(type);
    this.#bubbles = Boolean(init.bubbles);
    this.#cancelable = Boolean(init.cancelable);
  }
  get type(): string { return this.#type; }
  get bubbles(): boolean { return this.#bubbles; }
  get cancelable(): boolean { return this.#cancelable; }
  get composed(): boolean { return false; }
  get defaultPrevented(): boolean { return this.#defaultPrevented; }
  get target(): EventTarget | null { return this.#target; }
  get currentTarget(): EventTarget | null { return this.#dispatching ? this.#target : null; }
  get srcElement(): EventTarget | null { return this.#target; }
  get eventPhase(): number { return this.#dispatching ? 2 : 0; }
  get isTrusted(): boolean { return false; }
  get timeStamp(): number { return this.#timeStamp; }
  get returnValue(): boolean { return !this.#defaultPrevented; }
  composedPath(): EventTarget[] { return this.#dispatching && this.#target ? [this.#target] : []; }
  preventDefault(): void { if (this.#cancelable) this.#defaultPrevented = true; }
  stopPropagation(): void {}
  stopImmediatePropagation(): void { this.#stopImmediate = true; }
  get cancelBubble(): boolean { return false; }

  static beginDispatch(event: Event, target: EventTarget): void {
    if (event.#dispatching) throw new DOMException("The event is already being dispatched", "InvalidStateError");
    event.#target = target;
    event.#dispatching = true;
    event.#stopImmediate = false;
  }
  static endDispatch(event: Event): void { event.#dispatching = false; }
  static stopped(event: Event): boolean { return event.#stopImmediate; }
  static readonly NONE = 0;
  static readonly CAPTURING_PHASE = 1;
  static readonly AT_TARGET = 2;
  static readonly BUBBLING_PHASE = 3;
}

export class EventTarget {
  #listeners = new Map<string, Registration[]>();

  addEventListener(type: string, listener: Listener | null, options: boolean | { once?: boolean; capture?: boolean; passive?: boolean; signal?: AbortSignal } = {}): void {
    if (listener === null || listener === undefined) return;
    const opts = typeof options === "boolean" ? { capture: options } : options ?? {};
    if (opts.signal?.aborted) return;
    const list = this.#listeners.get(type) ?? [];
    const capture = Boolean(opts.capture);
    if (list.some((r) => r.listener === listener && r.capture === capture)) return;
    list.push({ listener, once: Boolean(opts.once), capture });
    this.#listeners.set(type, list);
    opts.signal?.addEventListener("abort", () => this.removeEventListener(type, listener, { capture }));
  }

  removeEventListener(type: string, listener: Listener | null, options: boolean | { capture?: boolean } = {}): void {
    const capture = typeof options === "boolean" ? options : Boolean(options?.capture);
    const list = this.#listeners.get(type);
    if (!list) return;
    const index = list.findIndex((r) => r.listener === listener && r.capture === capture);
    if (index !== -1) list.splice(index, 1);
  }

  dispatchEvent(event: Event): boolean {
    if (!(event instanceof Event)) throw new TypeError("dispatchEvent: the argument must be an Event");
    Event.beginDispatch(event, this);
    try {
      for (const registration of [...(this.#listeners.get(event.type) ?? [])]) {
        if (registration.once) this.removeEventListener(event.type, registration.listener, { capture: registration.capture });
        const { listener } = registration;
        try {
          if (typeof listener === "function") listener.call(this, event);
          else listener.handleEvent(event);
        } catch (error) {
          reportError(error);
        }
        if (Event.stopped(event)) break;
      }
    } finally {
      Event.endDispatch(event);
    }
    return !event.defaultPrevented;
  }
}

/** Errors thrown by listeners are reported, not propagated, as in browsers. */
function reportError(error: unknown): void {
  (globalThis as unknown as { console?: { error(...a: unknown[]): void } }).console?.error("Uncaught", error);
}
