/**
 * @module The events of a WebSocket: MessageEvent, CloseEvent and
 * ErrorEvent, as Workers and browsers have them.
 */
import { Event } from "./events.js";

/** A message event: `data` is a string, or an ArrayBuffer for a binary message. */
export class MessageEvent extends Event {
  readonly #data: unknown;
  constructor(type: string, init: { data?: unknown } = {}) {
    super(type);
    this.#data = init?.data ?? null;
  }
  get data(): unknown { return this.#data; }
  override get [Symbol.toStringTag](): string { return "MessageEvent"; }
}

/** A WebSocket's close: the code and reason of the close frame, and whether the closing handshake completed. */
export class CloseEvent extends Event {
  readonly #code: number;
  readonly #reason: string;
  readonly #wasClean: boolean;
  constructor(type: string, init: { code?: number; reason?: string; wasClean?: boolean } = {}) {
    super(type);
    this.#code = Number(init?.code ?? 0);
    this.#reason = String(init?.reason ?? "");
    this.#wasClean = Boolean(init?.wasClean);
  }
  get code(): number { return this.#code; }
  get reason(): string { return this.#reason; }
  get wasClean(): boolean { return this.#wasClean; }
  override get [Symbol.toStringTag](): string { return "CloseEvent"; }
}

/** An error on a WebSocket (a protocol error from the client, for example); a close event follows. */
export class ErrorEvent extends Event {
  readonly #message: string;
  readonly #error: unknown;
  constructor(type: string, init: { message?: string; error?: unknown } = {}) {
    super(type);
    this.#message = String(init?.message ?? "");
    this.#error = init?.error;
  }
  get message(): string { return this.#message; }
  get error(): unknown { return this.#error; }
  override get [Symbol.toStringTag](): string { return "ErrorEvent"; }
}
