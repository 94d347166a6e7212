/**
 * @module `ctx` of a Durable Object (DurableObjectState) and the input gate
 * that `blockConcurrencyWhile` closes: while its callback runs, events for
 * the object wait in a queue and are delivered, in order, once it settles.
 */
import type { WebSocket } from "../../../runtime/prelude/web/websocket.js";
import { DurableObjectId } from "./namespace.js";
import type { InstanceSockets } from "./sockets.js";
import { DurableObjectStorage } from "./storage.js";

export class InputGate {
  #closedBy: Promise<void> | null = null;
  readonly #waiting: (() => void)[] = [];

  get closed(): boolean {
    return this.#closedBy !== null;
  }

  /** Runs `task` now, or once the gate opens. */
  run(task: () => void): void {
    if (this.#closedBy) this.#waiting.push(task);
    else task();
  }

  /** Closes the gate until `work` settles; answers `work`. */
  closeWhile<T>(work: Promise<T>): Promise<T> {
    const gate = work.then(
      () => undefined,
      () => undefined,
    );
    this.#closedBy = gate;
    void gate.then(() => {
      if (this.#closedBy !== gate) return;
      this.#closedBy = null;
      // A task may close the gate again: the rest then waits for that.
      while (this.#waiting.length > 0 && !this.#closedBy) this.#waiting.shift()!();
    });
    return work;
  }
}

export class DurableObjectState {
  readonly id: DurableObjectId;
  readonly storage: DurableObjectStorage;
  readonly #gate: InputGate;
  readonly #onReset: (reason: unknown) => void;
  readonly #sockets: InstanceSockets;

  constructor(id: DurableObjectId, objectKey: string, gate: InputGate, sockets: InstanceSockets, onReset: (reason: unknown) => void) {
    this.id = id;
    this.storage = new DurableObjectStorage(objectKey);
    this.#gate = gate;
    this.#sockets = sockets;
    this.#onReset = onReset;
  }

  /**
   * Accepts `ws` (the end of a WebSocketPair the object keeps) as
   * hibernatable: its events go to the class's `webSocketMessage`,
   * `webSocketClose` and `webSocketError`, and the object may be evicted
   * while it stays open. At most 10 tags of up to 256 characters.
   */
  acceptWebSocket(ws: WebSocket, tags?: string[]): void {
    this.#sockets.accept(ws, tags);
  }

  /** The object's open hibernatable WebSockets, those with `tag` when given. */
  getWebSockets(tag?: string): WebSocket[] {
    if (tag !== undefined && typeof tag !== "string") throw new TypeError(`getWebSockets() takes a tag string: received ${tag === null ? "null" : typeof tag}`);
    return this.#sockets.list(tag ?? null);
  }

  /** The tags `ws` was accepted with. */
  getTags(ws: WebSocket): string[] {
    return this.#sockets.tagsOf(ws);
  }

  /**
   * Delivers no other event to the object until `callback` settles. If it
   * throws, the object is reset (its next event constructs it again), as in
   * Workers.
   */
  blockConcurrencyWhile<T>(callback: () => T | Promise<T>): Promise<T> {
    if (typeof callback !== "function") throw new TypeError(`blockConcurrencyWhile() takes a function: received ${typeof callback}`);
    let work: Promise<T>;
    try {
      work = Promise.resolve(callback());
    } catch (error) {
      work = Promise.reject(error);
    }
    work.catch((error: unknown) => this.#onReset(error));
    return this.#gate.closeWhile(work);
  }

  /** Accepted for compatibility; an object's work is not cut short after a response. */
  waitUntil(promise: unknown): void {
    void Promise.resolve(promise).catch(() => undefined);
  }

  /** Resets the object: its next event constructs it again. */
  abort(reason?: string): void {
    this.#onReset(new Error(reason ?? "The Durable Object was aborted"));
  }

  get [Symbol.toStringTag](): string {
    return "DurableObjectState";
  }
}
