/**
 * @module WebSocketPair and WebSocket as Workers has them. A pair is two
 * linked ends: one is returned in a 101 Response and the host connects it to
 * the client (ops `ws.*`, entry `websocket`); the worker accept()s the other.
 * What one end sends is an event for the other; events that arrive before
 * accept() wait in the end's inbox and are delivered after it.
 *
 * A returned end's partner sends through a SocketHost: the request's socket
 * (ops `ws.*`), or one a binding makes (a Durable Object's socket, which
 * outlives requests and instances). Bindings use the internal hooks at the
 * end of this module: a socket another PoP's object answered with
 * (`foreignWebSocket`), hibernation (`acceptForHibernation`,
 * `restoredWebSocket`), and delivery to a given end (`receiveOn`).
 */
import { isSendableCloseCode, Op, SENDABLE_CLOSE_CODES, WebSocketLimits, type WireSocketEvent } from "../../bridge/protocol.js";
import { opSync, opSyncFor, toWireError } from "../core/bridge.js";
import { jsonStringify } from "../core/primordials.js";
import { headersToFlat } from "../fetch/headers.js";
import type { Response } from "../fetch/response.js";
import { DOMException } from "./dom-exception.js";
import { dispatchCollectingErrors, type Event, EventTarget, trusted } from "./events.js";
import { CloseEvent, ErrorEvent, MessageEvent } from "./socket-events.js";
import { structuredClone } from "./structured-clone.js";

export { CloseEvent, ErrorEvent, MessageEvent };

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;
const STATE_NAMES = ["CONNECTING", "OPEN", "CLOSING", "CLOSED"] as const;
const NO_CODE = 1005;

/** What reaches one end: a message, the other side's close, or an error. */
export type SocketEvent = { message: string | ArrayBuffer } | { close: [code: number, reason: string, wasClean: boolean] } | { error: string };

/** Where an end's sends go once its partner was returned: the host's side of the socket. */
export interface SocketHost {
  readonly socketId: number;
  /** The request whose socket this is (the end goes with it), or null for one that outlives requests (a Durable Object's). */
  readonly requestId: number | null;
  send(data: string | Uint8Array): void;
  /** null: a close frame without a code. */
  close(code: number | null, reason: string): void;
  /** Keeps the end's attachment on the host, when the socket outlives the isolate's end of it. */
  attach?(value: unknown): void;
}

/** The request's own socket, made by op `ws.create`. */
function requestHost(requestId: number): SocketHost {
  const socketId = opSyncFor<number>(requestId, Op.WebSocketCreate);
  return {
    socketId,
    requestId,
    send: (data) => opSyncFor(requestId, Op.WebSocketSend, socketId, data),
    close: (code, reason) => opSyncFor(requestId, Op.WebSocketClose, socketId, code, reason),
  };
}

const FOREIGN = "This WebSocket is a Durable Object's, answered to stub.fetch(): return it in a Response to connect the client to the object (using it from the worker itself is not supported)";

type Handler = ((this: WebSocket, event: Event) => unknown) | null;

const secret = Symbol("WebSocket");
/** Ends whose partner the host connected, by host socket id: entry `websocket` delivers to them. */
const linked = new Map<number, WebSocket>();

// Internal hooks into WebSocket's private state, set in its static block.
let makePair: () => [WebSocket, WebSocket];
let link: (returned: WebSocket, makeHost: (local: WebSocket) => SocketHost) => number;
let receive: (end: WebSocket, event: SocketEvent) => void;
let unlink: (end: WebSocket) => void;
let hostOf: (end: WebSocket) => SocketHost | null;
let makeForeign: (socketId: number) => WebSocket;
let hibernate: (end: WebSocket) => void;
let restore: (host: SocketHost, attachment: unknown) => WebSocket;
let attachmentOf: (end: WebSocket) => unknown;

export class WebSocket extends EventTarget {
  static readonly CONNECTING = CONNECTING;
  static readonly OPEN = OPEN;
  static readonly CLOSING = CLOSING;
  static readonly CLOSED = CLOSED;
  static readonly READY_STATE_CONNECTING = CONNECTING;
  static readonly READY_STATE_OPEN = OPEN;
  static readonly READY_STATE_CLOSING = CLOSING;
  static readonly READY_STATE_CLOSED = CLOSED;

  #state: number = CONNECTING;
  #accepted = false;
  #returned = false;
  #partner: WebSocket | null = null;
  #host: SocketHost | null = null;
  /** The id of the host socket this end stands for, when it is another PoP's or object's (see foreignWebSocket). */
  #foreign: number | null = null;
  #attachment: unknown = null;
  #inbox: SocketEvent[] = [];
  #handlers = new Map<string, Handler>();

  static {
    makePair = () => {
      const first = new WebSocket(secret);
      const second = new WebSocket(secret);
      first.#partner = second;
      second.#partner = first;
      return [first, second];
    };
    link = (returned, makeHost) => {
      if (returned.#returned) throw new TypeError("This WebSocket was already returned in a Response: a WebSocket can be returned once");
      if (returned.#foreign !== null) {
        returned.#returned = true;
        return returned.#foreign;
      }
      if (returned.#accepted) throw new TypeError("Cannot return a WebSocket that was accepted: return its partner, and accept this one");
      const local = returned.#partner!;
      if (local.#returned) throw new TypeError("The other end of this WebSocketPair was already returned in a Response: return one end and accept the other");
      const host = makeHost(local);
      returned.#returned = true;
      returned.#state = OPEN;
      local.#host = host;
      if (host.requestId !== null) linked.set(host.socketId, local);
      // What the worker sent before returning the Response goes to the host now, in order.
      for (const event of returned.#inbox.splice(0)) local.#transmit(event);
      return host.socketId;
    };
    receive = (end, event) => end.#receive(event, true);
    unlink = (end) => {
      end.#state = CLOSED;
      end.#inbox = [];
      if (end.#host && end.#host.requestId !== null) linked.delete(end.#host.socketId);
    };
    hostOf = (end) => end.#host;
    makeForeign = (socketId) => {
      const end = new WebSocket(secret);
      end.#foreign = socketId;
      end.#state = OPEN;
      return end;
    };
    hibernate = (end) => {
      end.#checkAcceptable();
      if (end.#accepted) throw new TypeError("This WebSocket was accepted already: call acceptWebSocket() on a new WebSocketPair's end instead of accept()");
      end.#accepted = true;
      end.#state = OPEN;
    };
    restore = (host, attachment) => {
      const end = new WebSocket(secret);
      end.#accepted = true;
      end.#state = OPEN;
      end.#host = host;
      end.#attachment = attachment;
      return end;
    };
    attachmentOf = (end) => end.#attachment;
  }

  constructor(url?: unknown) {
    if (url !== secret) throw new TypeError(`Outgoing WebSocket connections are not supported: new WebSocket(${jsonStringify(String(url))})`);
    super();
  }

  get readyState(): number { return this.#state; }
  /** null, as in Workers: a WebSocketPair's ends have no URL, subprotocol or extensions of their own. */
  get url(): string | null { return null; }
  get protocol(): string | null { return null; }
  get extensions(): string | null { return null; }

  /** Starts delivering events to this end; those that arrived before are delivered next. */
  accept(): void {
    this.#checkAcceptable();
    if (this.#accepted) return;
    this.#accepted = true;
    if (this.#state === CONNECTING) this.#state = OPEN;
    if (this.#inbox.length > 0) {
      const waiting = this.#inbox.splice(0);
      // Later, so that listeners added right after accept() see them.
      queueMicrotask(() => {
        for (const event of waiting) this.#process(event);
      });
    }
  }

  send(message: string | ArrayBuffer | ArrayBufferView): void {
    if (arguments.length === 0) throw new TypeError("WebSocket.send: 1 argument required, but only 0 present");
    this.#checkUsable("send messages on");
    if (this.#state !== OPEN) throw new DOMException(`Cannot send a message on a WebSocket that was closed: readyState is ${STATE_NAMES[this.#state]}`, "InvalidStateError");
    const data = messageData(message);
    const size = typeof data === "string" ? utf8Length(data) : data.byteLength;
    if (size > WebSocketLimits.MAX_MESSAGE_BYTES) {
      throw new RangeError(`WebSocket message is too large: ${size} bytes (the limit is ${WebSocketLimits.MAX_MESSAGE_BYTES})`);
    }
    this.#transmit({ message: data });
  }

  /** Starts the closing handshake; ignored once the socket is closed (the close event fires with readyState CLOSED). */
  close(code?: number, reason?: string): void {
    if (this.#state === CLOSED || (this.#accepted && this.#state === CLOSING)) return;
    this.#checkUsable("close");
    if (code !== undefined && !isSendableCloseCode(code)) {
      throw new RangeError(`Invalid WebSocket close code: ${String(code)} (expected ${SENDABLE_CLOSE_CODES})`);
    }
    const text = reason === undefined ? "" : String(reason);
    const reasonBytes = utf8Length(text);
    if (reasonBytes > WebSocketLimits.MAX_CLOSE_REASON_BYTES) {
      throw new RangeError(`WebSocket close reason is too long: ${reasonBytes} bytes (the limit is ${WebSocketLimits.MAX_CLOSE_REASON_BYTES})`);
    }
    this.#state = CLOSING;
    this.#transmit({ close: [code ?? NO_CODE, text, true] });
  }

  /**
   * Keeps `value` with the socket (a structured clone, at most 2,048 bytes
   * serialized): a Durable Object's hibernated socket gets it back after the
   * object wakes.
   */
  serializeAttachment(value: unknown): void {
    if (arguments.length === 0) throw new TypeError("WebSocket.serializeAttachment: 1 argument required, but only 0 present");
    if (this.#host?.attach) this.#host.attach(value);
    else opSync(Op.WebSocketAttachment, value);
    this.#attachment = structuredClone(value);
  }

  /** A copy of what serializeAttachment kept, or null. */
  deserializeAttachment(): unknown {
    return this.#attachment === null ? null : structuredClone(this.#attachment);
  }

  #checkAcceptable(): void {
    if (this.#foreign !== null) throw new TypeError(FOREIGN);
    if (this.#returned) throw new TypeError("Cannot accept a WebSocket that was returned in a Response: accept its partner");
  }

  #checkUsable(action: string): void {
    if (this.#foreign !== null) throw new TypeError(FOREIGN);
    if (this.#returned) throw new TypeError(`Cannot ${action} a WebSocket that was returned in a Response: use its partner`);
    if (!this.#accepted) throw new DOMException(`You must call accept() on this WebSocket before you ${action} it: readyState is ${STATE_NAMES[this.#state]}`, "InvalidStateError");
  }

  /** To the host when the partner was returned, otherwise to the partner itself. */
  #transmit(event: SocketEvent): void {
    const host = this.#host;
    if (host === null) {
      this.#partner!.#receive(copyOf(event), false);
    } else if ("message" in event) {
      const data = event.message;
      host.send(typeof data === "string" ? data : new Uint8Array(data));
    } else if ("close" in event) {
      const [code, reason] = event.close;
      host.close(code === NO_CODE ? null : code, reason);
    }
  }

  #receive(event: SocketEvent, fromHost: boolean): void {
    if (!this.#accepted) {
      this.#inbox.push(event);
      return;
    }
    // A host event is an entry of its own; a partner's send must not run listeners inside send().
    if (fromHost) this.#process(event);
    else queueMicrotask(() => this.#process(event));
  }

  #process(event: SocketEvent): void {
    if (this.#state === CLOSED) return;
    let dispatched: Event;
    if ("message" in event) {
      dispatched = new MessageEvent("message", { data: event.message });
    } else if ("close" in event) {
      const [code, reason, wasClean] = event.close;
      // The reply to a close this end sent, or the other side's close: answered at once, as Workers does.
      if (this.#state !== CLOSING && this.#host === null) this.#partner!.#receive({ close: [code, reason, true] }, false);
      unlink(this);
      dispatched = new CloseEvent("close", { code, reason, wasClean });
    } else {
      dispatched = new ErrorEvent("error", { message: event.error });
    }
    const errors = dispatchCollectingErrors(this, trusted(dispatched));
    if (errors.length === 0) return;
    if (this.#host?.requestId == null) {
      for (const error of errors) (globalThis as { console?: { error(...a: unknown[]): void } }).console?.error("Uncaught", error);
      return;
    }
    // A handler that throws fails the request, as a fetch handler that throws does: the client gets 1011.
    const requestId = this.#host.requestId;
    unlink(this);
    opSyncFor(requestId, Op.Throw, toWireError(errors[0]));
  }

  get onmessage(): Handler { return this.#handler("message"); }
  set onmessage(handler: Handler) { this.#setHandler("message", handler); }
  get onclose(): Handler { return this.#handler("close"); }
  set onclose(handler: Handler) { this.#setHandler("close", handler); }
  get onerror(): Handler { return this.#handler("error"); }
  set onerror(handler: Handler) { this.#setHandler("error", handler); }
  get onopen(): Handler { return this.#handler("open"); }
  set onopen(handler: Handler) { this.#setHandler("open", handler); }

  #handler(type: string): Handler {
    return this.#handlers.get(type) ?? null;
  }

  /** An event handler attribute: its listener takes its place among the others when first set. */
  #setHandler(type: string, handler: Handler): void {
    const installed = this.#handlers.has(type);
    this.#handlers.set(type, typeof handler === "function" ? handler : null);
    if (!installed) this.addEventListener(type, (event) => this.#handlers.get(type)?.call(this, event));
  }

  get [Symbol.toStringTag](): string { return "WebSocket"; }

  declare readonly CONNECTING: 0;
  declare readonly OPEN: 1;
  declare readonly CLOSING: 2;
  declare readonly CLOSED: 3;
}
STATE_NAMES.forEach((name, value) => {
  Object.defineProperty(WebSocket.prototype, name, { value, enumerable: true });
});

/** Two linked WebSockets at keys 0 and 1: return one in a 101 Response, accept the other. */
export class WebSocketPair {
  declare 0: WebSocket;
  declare 1: WebSocket;
  constructor() {
    const [first, second] = makePair();
    this[0] = first;
    this[1] = second;
  }
}

/** True for a WebSocket (Response checks its `webSocket` with it). */
export function isWebSocket(value: unknown): value is WebSocket {
  return value instanceof WebSocket;
}

/**
 * Delivers a Response that carries a WebSocket: the host creates its side of
 * the socket, receives what the worker already sent, and then the 101.
 */
export function respondWithWebSocket(requestId: number, response: Response, makeHost: (local: WebSocket) => SocketHost = () => requestHost(requestId)): void {
  const socketId = link(response.webSocket as WebSocket, makeHost);
  opSyncFor(requestId, Op.Respond, 101, response.statusText, jsonStringify(headersToFlat(response.headers)), null, socketId);
}

/** Links `returned` (the end a Response carries) to the host side `makeHost` makes for its partner; answers the socket's id. */
export function linkWebSocket(returned: WebSocket, makeHost: (local: WebSocket) => SocketHost): number {
  return link(returned, makeHost);
}

/** Entry `websocket`: a frame from the peer of a returned WebSocket, for its partner. */
export function deliverSocketEvent(socketId: number, wire: WireSocketEvent): void {
  const end = linked.get(socketId);
  if (end) receiveOn(end, wire);
}

/** Delivers a frame from the host to `end` (as its listeners receive it once it is accepted). */
export function receiveOn(end: WebSocket, wire: WireSocketEvent): void {
  receive(end, toSocketEvent(wire));
}

/** A frame from the host as an end's event: bytes become an ArrayBuffer. */
export function toSocketEvent(wire: WireSocketEvent): SocketEvent {
  if (typeof wire === "string") return { message: wire };
  if (wire instanceof Uint8Array) return { message: exactBuffer(wire) };
  return wire;
}

/** The end a socket of another PoP's or object's stands for: it can only be returned in a Response. */
export function foreignWebSocket(socketId: number): WebSocket {
  return makeForeign(socketId);
}

/** ctx.acceptWebSocket: `end` is accepted, its events going to the object's handlers instead of listeners. */
export function acceptForHibernation(end: WebSocket): void {
  hibernate(end);
}

/** An open, accepted end for a host socket whose earlier end is gone (a Durable Object woken from hibernation). */
export function restoredWebSocket(host: SocketHost, attachment: unknown): WebSocket {
  return restore(host, attachment);
}

/** The end's attachment (serializeAttachment), for the host that will keep it. */
export function socketAttachment(end: WebSocket): unknown {
  return attachmentOf(end);
}

/** The end is closed: it sends nothing more (a Durable Object's end, on the close event). */
export function markClosed(end: WebSocket): void {
  unlink(end);
}

/** The request ended (see entry.ts): its sockets are closed and forgotten. */
export function dropSockets(requestId: number): void {
  for (const end of [...linked.values()]) if (hostOf(end)?.requestId === requestId) unlink(end);
}

function messageData(message: unknown): string | ArrayBuffer {
  if (typeof message === "string") return message;
  if (message instanceof ArrayBuffer) return message.slice(0);
  if (ArrayBuffer.isView(message)) return message.buffer.slice(message.byteOffset, message.byteOffset + message.byteLength) as ArrayBuffer;
  throw new TypeError(`WebSocket.send: the message must be a string, an ArrayBuffer or an ArrayBufferView: received ${message === null ? "null" : typeof message}`);
}

/** A copy for the partner: an ArrayBuffer sent stays the sender's to change. */
function copyOf(event: SocketEvent): SocketEvent {
  return "message" in event && typeof event.message !== "string" ? { message: event.message.slice(0) } : event;
}

function exactBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? (bytes.buffer as ArrayBuffer) : bytes.slice().buffer;
}

/** UTF-8 length of a string, without encoding it (a lone surrogate counts as U+FFFD, 3 bytes). */
function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) continue;
    if (unit < 0x800) bytes += 1;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2;
      i++;
    } else bytes += 2;
  }
  return bytes;
}
