/**
 * @module Event, CustomEvent and EventTarget (DOM Standard §2) for targets
 * without a tree: `once`, `passive`, `signal`, handleEvent objects,
 * stopImmediatePropagation, and listeners removed during dispatch not called.
 */
import { DOMException } from "./dom-exception.js";

type Callback = ((event: Event) => unknown) | { handleEvent(event: Event): unknown };
interface Listener {
  type: string;
  callback: Callback;
  capture: boolean;
  passive: boolean;
  once: boolean;
  removed: boolean;
}
/** Options of addEventListener. */
export interface AddEventListenerOptions {
  capture?: boolean;
  once?: boolean;
  passive?: boolean;
  signal?: object;
}

/** Signals (AbortSignal registers itself) and their abort algorithms: the spec's hooks, invisible to listeners. */
const abortAlgorithms = new WeakMap<object, Set<() => void>>();

/** Registers `signal` as an AbortSignal; called by its constructor. */
export function brandSignal(signal: object): void {
  abortAlgorithms.set(signal, new Set());
}

/** Adds an abort algorithm to `signal`; returns a function that removes it. */
export function addAbortAlgorithm(signal: object, algorithm: () => void): () => void {
  const set = abortAlgorithms.get(signal);
  set?.add(algorithm);
  return () => set?.delete(algorithm);
}

/** Runs and forgets the abort algorithms of `signal`. */
export function runAbortAlgorithms(signal: object): void {
  const set = abortAlgorithms.get(signal);
  if (!set) return;
  const list = [...set];
  set.clear();
  for (const algorithm of list) algorithm();
}

// Internal hooks into Event's private state, set in its static block: never visible to tenant code.
let dispatchState: (event: Event, target: EventTarget | null, phase: number) => void;
let setPassive: (event: Event, passive: boolean) => void;
let stoppedImmediately: (event: Event) => boolean;
let trust: (event: Event) => void;

export class Event {
  #type: string;
  #bubbles: boolean;
  #cancelable: boolean;
  readonly #composed: boolean;
  readonly #timeStamp = (globalThis as { performance?: { now(): number } }).performance?.now() ?? 0;
  #canceled = false;
  #stop = false;
  #stopImmediate = false;
  #passive = false;
  #dispatching = false;
  #trusted = false;
  #target: EventTarget | null = null;
  #current: EventTarget | null = null;
  #phase = 0;

  static {
    dispatchState = (event, target, phase) => {
      if (phase === 2) event.#target = target;
      event.#dispatching = phase !== 0;
      event.#current = target;
      event.#phase = phase;
      if (phase === 0) event.#stop = event.#stopImmediate = false;
    };
    setPassive = (event, passive) => { event.#passive = passive; };
    stoppedImmediately = (event) => event.#stopImmediate;
    trust = (event) => { event.#trusted = true; };
  }

  constructor(type: string, init: { bubbles?: boolean; cancelable?: boolean; composed?: boolean } = {}) {
    if (arguments.length === 0) throw new TypeError("Event constructor: 1 argument required, but only 0 present");
    this.#type = String(type);
    this.#bubbles = Boolean(init?.bubbles);
    this.#cancelable = Boolean(init?.cancelable);
    this.#composed = Boolean(init?.composed);
  }
  get type(): string { return this.#type; }
  get bubbles(): boolean { return this.#bubbles; }
  get cancelable(): boolean { return this.#cancelable; }
  get composed(): boolean { return this.#composed; }
  get defaultPrevented(): boolean { return this.#canceled; }
  get target(): EventTarget | null { return this.#target; }
  get srcElement(): EventTarget | null { return this.#target; }
  get currentTarget(): EventTarget | null { return this.#current; }
  get eventPhase(): number { return this.#phase; }
  get isTrusted(): boolean { return this.#trusted; }
  get timeStamp(): number { return this.#timeStamp; }
  get returnValue(): boolean { return !this.#canceled; }
  set returnValue(value: boolean) { if (!value) this.preventDefault(); }
  get cancelBubble(): boolean { return this.#stop; }
  set cancelBubble(value: boolean) { if (value) this.#stop = true; }
  composedPath(): EventTarget[] { return this.#current ? [this.#current] : []; }
  preventDefault(): void { if (this.#cancelable && !this.#passive) this.#canceled = true; }
  stopPropagation(): void { this.#stop = true; }
  stopImmediatePropagation(): void { this.#stop = this.#stopImmediate = true; }
  /** Legacy re-initialisation; ignored while the event is being dispatched. */
  initEvent(type: string, bubbles = false, cancelable = false): void {
    if (this.#dispatching) return;
    this.#type = String(type);
    this.#bubbles = Boolean(bubbles);
    this.#cancelable = Boolean(cancelable);
    this.#canceled = this.#stop = this.#stopImmediate = false;
    this.#target = null;
  }
  get [Symbol.toStringTag](): string { return "Event"; }

  static readonly NONE = 0;
  static readonly CAPTURING_PHASE = 1;
  static readonly AT_TARGET = 2;
  static readonly BUBBLING_PHASE = 3;
  declare readonly NONE: 0;
  declare readonly CAPTURING_PHASE: 1;
  declare readonly AT_TARGET: 2;
  declare readonly BUBBLING_PHASE: 3;
}
["NONE", "CAPTURING_PHASE", "AT_TARGET", "BUBBLING_PHASE"].forEach((name, value) => {
  Object.defineProperty(Event.prototype, name, { value, enumerable: true });
});

/** An Event carrying `detail`. */
export class CustomEvent<T = unknown> extends Event {
  readonly #detail: T | null;
  constructor(type: string, init: { bubbles?: boolean; cancelable?: boolean; composed?: boolean; detail?: T } = {}) {
    if (arguments.length === 0) throw new TypeError("CustomEvent constructor: 1 argument required, but only 0 present");
    super(type, init);
    this.#detail = init?.detail ?? null;
  }
  get detail(): T | null { return this.#detail; }
  override get [Symbol.toStringTag](): string { return "CustomEvent"; }
}

/** Marks an event fired by the platform itself (e.g. "abort") as trusted. */
export function trusted<E extends Event>(event: E): E {
  trust(event);
  return event;
}

function flatten(options: unknown): { capture: boolean; once: boolean; passive: boolean; signal?: object } {
  if (typeof options !== "object" || options === null) return { capture: Boolean(options), once: false, passive: false };
  const { capture, once, passive, signal } = options as AddEventListenerOptions;
  if (signal !== undefined && !abortAlgorithms.has(signal)) {
    throw new TypeError("addEventListener: the 'signal' option must be an AbortSignal");
  }
  return { capture: Boolean(capture), once: Boolean(once), passive: Boolean(passive), signal };
}

function checkCallback(callback: unknown, method: string): callback is Callback {
  if (callback !== null && callback !== undefined && typeof callback !== "object" && typeof callback !== "function") {
    throw new TypeError(`${method}: parameter 2 is not of type 'EventListener'`);
  }
  return callback !== null && callback !== undefined;
}

/** Errors thrown by listeners are reported, not propagated, as in browsers and workerd. */
function reportError(error: unknown, target: EventTarget): void {
  if (collecting?.target === target) collecting.errors.push(error);
  else (globalThis as { console?: { error(...a: unknown[]): void } }).console?.error("Uncaught", error);
}

let collecting: { target: EventTarget; errors: unknown[] } | null = null;

/**
 * Dispatches `event` at `target` and returns what its listeners threw instead
 * of reporting it: a WebSocket handler that throws fails its request.
 */
export function dispatchCollectingErrors(target: EventTarget, event: Event): unknown[] {
  const outer = collecting;
  const errors: unknown[] = [];
  collecting = { target, errors };
  try {
    target.dispatchEvent(event);
  } finally {
    collecting = outer;
  }
  return errors;
}

export class EventTarget {
  #listeners: Listener[] = [];

  addEventListener(type: string, callback: Callback | null, options?: boolean | AddEventListenerOptions): void {
    if (arguments.length < 2) throw new TypeError(`addEventListener: 2 arguments required, but only ${arguments.length} present`);
    const { capture, once, passive, signal } = flatten(options);
    if (!checkCallback(callback, "addEventListener") || (signal as { aborted?: boolean } | undefined)?.aborted) return;
    type = String(type);
    if (this.#listeners.some((l) => l.type === type && l.callback === callback && l.capture === capture)) return;
    const listener: Listener = { type, callback, capture, passive, once, removed: false };
    this.#listeners.push(listener);
    if (signal) addAbortAlgorithm(signal, () => this.#remove(listener));
  }

  removeEventListener(type: string, callback: Callback | null, options?: boolean | { capture?: boolean }): void {
    if (arguments.length < 2) throw new TypeError(`removeEventListener: 2 arguments required, but only ${arguments.length} present`);
    checkCallback(callback, "removeEventListener");
    const capture = typeof options === "object" && options !== null ? Boolean(options.capture) : Boolean(options);
    type = String(type);
    const found = this.#listeners.find((l) => l.type === type && l.callback === callback && l.capture === capture);
    if (found) this.#remove(found);
  }

  #remove(listener: Listener): void {
    listener.removed = true;
    this.#listeners = this.#listeners.filter((l) => l !== listener);
  }

  dispatchEvent(event: Event): boolean {
    if (!(event instanceof Event)) throw new TypeError("dispatchEvent: parameter 1 is not of type 'Event'");
    if (event.eventPhase !== 0) throw new DOMException("The event is already being dispatched", "InvalidStateError");
    dispatchState(event, this, 2);
    try {
      for (const listener of this.#listeners.filter((l) => l.type === event.type)) {
        if (listener.removed) continue;
        if (listener.once) this.#remove(listener);
        setPassive(event, listener.passive);
        try {
          const { callback } = listener;
          if (typeof callback === "function") callback.call(this, event);
          else if (typeof callback.handleEvent === "function") callback.handleEvent(event);
          else throw new TypeError("The listener's 'handleEvent' property is not a function");
        } catch (error) {
          reportError(error, this);
        }
        setPassive(event, false);
        if (stoppedImmediately(event)) break;
      }
    } finally {
      dispatchState(event, null, 0);
    }
    return !event.defaultPrevented;
  }
}
