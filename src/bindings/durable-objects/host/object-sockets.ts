/**
 * @module The WebSockets a Durable Object holds, host side. A socket belongs
 * to the object, not to the request that opened it nor to the instance in
 * the isolate: frames from its client become object events (so a
 * hibernatable socket wakes an evicted object), and what the object sends
 * passes the output gate first. Its client is attached at this PoP, or at
 * another one through the socket relay (socket-relay.ts).
 */
import type { WireSocketEvent } from "../../../runtime/bridge/protocol.js";
import { checkedAttachment } from "../../../runtime/host-ops/websocket.js";
import { HostedSocket, type SocketPeer } from "../../../runtime/websocket/hosted-socket.js";
import { checkSocketTags, SocketLimits } from "../wire.js";

/** What a socket needs of the object that holds it. */
export interface SocketOwner {
  /** Runs `send` once every write the object made before it is durable (the output gate). */
  gated(send: () => void): void;
  /** Delivers a frame from the socket's client to the object. */
  socketEvent(socket: ObjectSocket, event: WireSocketEvent): void;
}

/** How long a socket answered to a stub may wait for its client to be attached (the caller's PoP may die first). */
const ATTACH_TIMEOUT_MS = 30_000;

export class ObjectSocket extends HostedSocket {
  /** The tags given to `ctx.acceptWebSocket`; null for a socket accepted with `accept()` (not hibernatable). */
  readonly tags: string[] | null;
  attachment: unknown;
  readonly #owner: SocketOwner;
  #attachTimer: NodeJS.Timeout | undefined;

  constructor(owner: SocketOwner, tags: string[] | null, attachment: unknown) {
    super();
    this.#owner = owner;
    this.tags = tags;
    this.attachment = attachment;
    this.#attachTimer = setTimeout(() => this.end(1011, "The client was never connected to the Durable Object's WebSocket"), ATTACH_TIMEOUT_MS).unref();
  }

  get hibernatable(): boolean {
    return this.tags !== null;
  }

  override attach(peer: SocketPeer): void {
    clearTimeout(this.#attachTimer);
    super.attach(peer);
  }

  /** A message from the object, sent once its writes before it are durable. */
  send(data: string | Uint8Array): void {
    this.#owner.gated(() => this.serverSend(data));
  }

  /** The object's close frame, behind its writes as a message is. */
  close(code: number, reason: string): void {
    this.#owner.gated(() => this.serverClose(code, reason));
  }

  /** The client's side is gone (its request or PoP ended): the client is told `code`, the object gets a close event (1006). */
  override end(code: number, reason: string): void {
    if (this.done) return;
    this.shutDown(code, reason);
    this.#owner.socketEvent(this, { close: [1006, reason, false] });
  }

  /** The object's side ends it (the object moved or was reset): the client is told, the object is not. */
  shutDown(code: number, reason: string): void {
    clearTimeout(this.#attachTimer);
    super.end(code, reason);
  }

  protected enter(event: WireSocketEvent): void {
    this.#owner.socketEvent(this, event);
  }
}

/** The sockets of one object, and of every object at the PoP by id (`index`, for the relay). */
export class ObjectSockets {
  readonly #sockets = new Map<number, ObjectSocket>();
  readonly #owner: SocketOwner;
  readonly #index: Map<number, ObjectSocket>;

  constructor(owner: SocketOwner, index: Map<number, ObjectSocket>) {
    this.#owner = owner;
    this.#index = index;
  }

  /** A new socket for a 101 the object answered with. */
  open(tags: string[] | null, attachment: unknown): ObjectSocket {
    if (this.#sockets.size >= SocketLimits.MAX_SOCKETS) throw new RangeError(`A Durable Object can hold at most ${SocketLimits.MAX_SOCKETS} WebSockets`);
    const socket = new ObjectSocket(this.#owner, tags === null ? null : checkSocketTags(tags), checkedAttachment(attachment));
    this.#sockets.set(socket.id, socket);
    this.#index.set(socket.id, socket);
    void socket.closed.then(() => {
      this.#sockets.delete(socket.id);
      this.#index.delete(socket.id);
    });
    return socket;
  }

  get(socketId: number): ObjectSocket | undefined {
    return this.#sockets.get(socketId);
  }

  /** Open hibernatable sockets, those with `tag` when given. */
  hibernatable(tag: string | null): ObjectSocket[] {
    return [...this.#sockets.values()].filter((socket) => !socket.done && socket.tags !== null && (tag === null || socket.tags.includes(tag)));
  }

  /** True while a socket is open: the object must stay at this PoP. */
  get anyOpen(): boolean {
    return this.#sockets.size > 0;
  }

  /** True while a socket accepted with `accept()` is open: its instance holds the listeners, so it must not be evicted. */
  get anyAwake(): boolean {
    for (const socket of this.#sockets.values()) if (!socket.hibernatable) return true;
    return false;
  }

  shutDown(code: number, reason: string): void {
    for (const socket of [...this.#sockets.values()]) socket.shutDown(code, reason);
  }
}
