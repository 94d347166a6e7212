/**
 * @module The host side of a WebSocket a worker answered a request with, as
 * the PoP sees it (`UpgradedSocket`), and the part every such socket shares
 * (`HostedSocket`): frames the server side sends go to an attached
 * `SocketPeer`, buffered until one is attached; the peer's frames come in
 * through `deliver*`. An isolate's own socket (IsolateSocket) and a Durable
 * Object's (src/bindings/durable-objects/host/object-sockets.ts) extend it;
 * a relay to an object at another PoP implements `UpgradedSocket` alone.
 */
import { WebSocketLimits, type WireSocketEvent } from "../bridge/protocol.js";

/** Where a server side's WebSocket frames go: a client connection, or a relay to one. */
export interface SocketPeer {
  /** A message from the server side. */
  send(data: string | Uint8Array): void;
  /**
   * The server side closes (code 1005: a close frame without a code), or the
   * platform ends the socket (1011: the worker failed; 1012: its isolate was
   * shut down). The peer reports the end of the closing handshake with
   * `deliverClose`. When the other side closes first, the peer answers its
   * close frame itself and then calls `deliverClose`.
   */
  close(code: number, reason: string): void;
}

/** What the PoP connects its client's connection to when a request is answered with a 101. */
export interface UpgradedSocket {
  readonly id: number;
  /** Resolves when the socket is done: closed by both sides, gone, or ended by the platform. */
  readonly closed: Promise<void>;
  /** Connects the client's side; what the server side sent so far goes to it at once, in order. */
  attach(peer: SocketPeer): void;
  deliverMessage(data: string | Uint8Array): void;
  /** The closing handshake is over (or the connection was lost: 1006, not clean). */
  deliverClose(code: number, reason: string, wasClean?: boolean): void;
  deliverError(message: string): void;
  /** The platform ends the socket with `code`: the peer is told (now, or when it attaches). */
  end(code: number, reason: string): void;
}

/** Frames the server side sent before a peer was attached. */
type Frame = string | Uint8Array | { close: [code: number, reason: string] };

/** Bytes the server side may send before a peer is attached (the handshake takes microseconds; this is a bound, not a buffer size). */
const MAX_UNATTACHED_BYTES = 16 * 1024 * 1024;

let lastSocketId = 0;

/** A socket id unique in this process: isolates, objects and relays draw from one sequence. */
export function newSocketId(): number {
  return ++lastSocketId;
}

export abstract class HostedSocket implements UpgradedSocket {
  readonly id = newSocketId();
  readonly closed: Promise<void>;
  #resolveClosed!: () => void;
  #peer: SocketPeer | null = null;
  #unattached: Frame[] = [];
  #unattachedBytes = 0;
  /** The server side sent its close frame. */
  #serverClosed = false;
  /** Set when the platform ended the socket: the close a peer attached later gets. */
  #ended: [code: number, reason: string] | null = null;
  #done = false;

  constructor() {
    this.closed = new Promise((resolve) => (this.#resolveClosed = resolve));
  }

  get done(): boolean {
    return this.#done;
  }

  get attached(): boolean {
    return this.#peer !== null;
  }

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

  /** A message from the server side. */
  serverSend(data: string | Uint8Array): void {
    if (this.#done || this.#serverClosed) return;
    if (this.#peer) return this.#peer.send(data);
    this.#unattachedBytes += typeof data === "string" ? Buffer.byteLength(data) : data.byteLength;
    if (this.#unattachedBytes > MAX_UNATTACHED_BYTES) return this.end(1011, "The worker sent too much before the client connected");
    this.#unattached.push(data);
  }

  /** The server side's close frame (1005: without a code); the socket is done when the peer answers. */
  serverClose(code: number, reason: string): void {
    if (this.#done || this.#serverClosed) return;
    this.#serverClosed = true;
    if (this.#peer) this.#peer.close(code, reason);
    else this.#unattached.push({ close: [code, reason] });
  }

  deliverMessage(data: string | Uint8Array): void {
    if (!this.#done) this.enter(data);
  }

  deliverClose(code: number, reason: string, wasClean = code !== 1006): void {
    if (this.#done) return;
    this.#finish();
    this.enter({ close: [code, reason, wasClean] });
  }

  deliverError(message: string): void {
    if (!this.#done) this.enter({ error: message });
  }

  /** The server side gets no more events; the peer is told `code`. */
  end(code: number, reason: string): void {
    if (this.#done) return;
    this.#finish();
    this.#ended = [code, truncateReason(reason)];
    this.#unattached = [];
    this.#peer?.close(...this.#ended);
  }

  /** Takes one event of the peer to the server side. */
  protected abstract enter(event: WireSocketEvent): void;

  #finish(): void {
    this.#done = true;
    this.#resolveClosed();
  }
}

/** A close reason fits in a control frame: cut at a character boundary, with an ellipsis (3 bytes). */
export function truncateReason(reason: string): string {
  const max = WebSocketLimits.MAX_CLOSE_REASON_BYTES;
  if (Buffer.byteLength(reason) <= max) return reason;
  let cut = reason.slice(0, max);
  while (Buffer.byteLength(cut) > max - 3) cut = cut.slice(0, -1);
  return `${cut}…`;
}
