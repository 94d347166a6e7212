/**
 * @module The host side of a WebSocket an isolate returned in a 101 Response.
 * It delivers the peer's frames into the isolate (entry `websocket`) and
 * sends the isolate's frames (ops `ws.send`, `ws.close`) to an attached
 * SocketPeer, buffering them until one is attached. It knows nothing of the
 * ws library or node:http: the PoP attaches a peer over its client
 * connection; a Durable Object can attach one that relays over the network.
 */
import { Entry, WebSocketLimits, type WireSocketEvent } from "../bridge/protocol.js";
import type { Invocation } from "../invocation.js";

/** Where an isolate's WebSocket frames go: a client connection, or a relay to one. */
export interface SocketPeer {
  /** A message from the isolate. */
  send(data: string | Uint8Array): void;
  /**
   * The isolate closes (code 1005: a close frame without a code), or the
   * platform ends the socket (1011: the worker failed; 1012: its isolate was
   * shut down). The peer reports the end of the closing handshake with
   * `deliverClose`. When the other side closes first, the peer answers its
   * close frame itself and then calls `deliverClose`.
   */
  close(code: number, reason: string): void;
}

/** Frames the isolate sent before a peer was attached. */
type Frame = string | Uint8Array | { close: [code: number, reason: string] };

/** Bytes the isolate may send before a peer is attached (the handshake takes microseconds; this is a bound, not a buffer size). */
const MAX_UNATTACHED_BYTES = 16 * 1024 * 1024;

let nextSocketId = 1;

/**
 * One isolate's WebSocket, host side. Frames from the peer enter with
 * `deliverMessage`, `deliverClose` and `deliverError` (never from inside an
 * op: they enter the isolate synchronously).
 * @example
 * const socket = outcome.response.webSocket;
 * socket.attach({ send: (data) => ws.send(data), close: (code, reason) => ws.close(code, reason) });
 * ws.on("message", (data) => socket.deliverMessage(String(data)));
 * await socket.closed;
 */
export class IsolateSocket {
  readonly id = nextSocketId++;
  readonly invocation: Invocation;
  /** Resolves when the socket is done: closed by both sides, gone, or ended by the platform. */
  readonly closed: Promise<void>;
  #resolveClosed!: () => void;
  #peer: SocketPeer | null = null;
  #unattached: Frame[] = [];
  #unattachedBytes = 0;
  /** The isolate sent its close frame. */
  #isolateClosed = false;
  /** Set when the platform ended the socket: the close a peer attached later gets. */
  #ended: [code: number, reason: string] | null = null;
  #done = false;

  constructor(invocation: Invocation) {
    this.invocation = invocation;
    this.closed = new Promise((resolve) => (this.#resolveClosed = resolve));
    // A handler that threw, a CPU or memory limit, an isolate shut down: the client learns why by the code.
    invocation.onFail((code, message) => this.end(code === "worker_unavailable" ? 1012 : 1011, message));
    invocation.onEnd(() => this.end(1011, "The request ended"));
  }

  get done(): boolean {
    return this.#done;
  }

  /** Connects the peer; frames sent so far go to it at once, in order. */
  attach(peer: SocketPeer): void {
    if (this.#peer) throw new Error(`WebSocket ${this.id} already has a peer`);
    this.#peer = peer;
    for (const frame of this.#unattached.splice(0)) {
      if (typeof frame === "object" && "close" in frame) peer.close(...frame.close);
      else peer.send(frame);
    }
    this.#unattachedBytes = 0;
    if (this.#ended) peer.close(...this.#ended);
  }

  /** Op `ws.send`: a message from the isolate. */
  isolateSend(data: string | Uint8Array): void {
    if (this.#done || this.#isolateClosed) return;
    if (this.#peer) return this.#peer.send(data);
    this.#unattachedBytes += typeof data === "string" ? Buffer.byteLength(data) : data.byteLength;
    if (this.#unattachedBytes > MAX_UNATTACHED_BYTES) return this.end(1011, "The worker sent too much before the client connected");
    this.#unattached.push(data);
  }

  /** Op `ws.close`: the isolate's close frame (1005: without a code); the socket is done when the peer answers. */
  isolateClose(code: number, reason: string): void {
    if (this.#done || this.#isolateClosed) return;
    this.#isolateClosed = true;
    if (this.#peer) this.#peer.close(code, reason);
    else this.#unattached.push({ close: [code, reason] });
  }

  deliverMessage(data: string | Uint8Array): void {
    if (!this.#done) this.#enter(data);
  }

  /** The closing handshake is over (or the connection was lost: 1006, not clean); the isolate gets its close event. */
  deliverClose(code: number, reason: string, wasClean = code !== 1006): void {
    if (this.#done) return;
    this.#finish();
    this.#enter({ close: [code, reason, wasClean] });
  }

  deliverError(message: string): void {
    if (!this.#done) this.#enter({ error: message });
  }

  /**
   * The platform ends the socket with `code`: the peer is told (now, or when
   * it attaches) and the isolate gets no more events.
   */
  end(code: number, reason: string): void {
    if (this.#done) return;
    this.#finish();
    this.#ended = [code, truncateReason(reason)];
    this.#unattached = [];
    this.#peer?.close(...this.#ended);
  }

  #finish(): void {
    this.#done = true;
    this.#resolveClosed();
  }

  #enter(event: WireSocketEvent): void {
    const invocation = this.invocation;
    if (invocation.ended || invocation.sandbox.dead) return;
    invocation.freshCpuBudget();
    invocation.sandbox.enter(Entry.WebSocket, invocation, this.id, event);
  }
}

/** A close reason fits in a control frame: cut at a character boundary, with an ellipsis (3 bytes). */
function truncateReason(reason: string): string {
  const max = WebSocketLimits.MAX_CLOSE_REASON_BYTES;
  if (Buffer.byteLength(reason) <= max) return reason;
  let cut = reason.slice(0, max);
  while (Buffer.byteLength(cut) > max - 3) cut = cut.slice(0, -1);
  return `${cut}…`;
}
