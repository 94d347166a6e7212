/**
 * @module WebSocket frames between a client's PoP and the PoP of the Durable
 * Object it talks to, over substrate pub/sub: each PoP listens on
 * `do.ws.<pop>` for frames addressed to its sockets by id. A channel joins
 * two ends (the object's ObjectSocket, the client's RelayedSocket); frames
 * carry a sequence number per direction, and a gap (pub/sub is at most once)
 * ends the socket with 1011 rather than let a message go missing unseen.
 * PoPs with channels between them exchange a heartbeat, so the loss of
 * either PoP ends its sockets at the other.
 */
import { deserialize, serialize } from "node:v8";
import type { SocketPeer, UpgradedSocket } from "../../../runtime/index.js";
import { newSocketId } from "../../../runtime/websocket/hosted-socket.js";
import type { Subscription, Message, SubstrateView } from "../../../substrate/types.js";
import type { ObjectSocket } from "./object-sockets.js";

type FrameBody =
  /** The client's PoP attaches to the object's socket `to`, naming its own end. */
  | ["attach", pop: string, from: number]
  | ["msg", data: string | Uint8Array]
  /** A close frame (the sender's), or the end of the closing handshake (`wasClean` set). */
  | ["close", code: number, reason: string, wasClean: boolean | null]
  | ["error", message: string]
  /** The sender's end is gone; the receiver's socket ends with `code`. */
  | ["end", code: number, reason: string];
type Frame = [to: number, seq: number, ...body: FrameBody] | [to: 0, seq: 0, "alive"];

const subjectOf = (pop: string) => `do.ws.${pop}`;
/** Heartbeats per silence: a PoP missing this many in a row is taken for gone, with its sockets. */
const BEATS_PER_SILENCE = 4;

/** One direction-numbered link between a local socket end and its remote end. */
export class Channel {
  readonly pop: string;
  remoteId: number;
  #sent = 0;
  #received = 0;
  #lost = false;
  readonly #relay: SocketRelay;
  readonly localId: number;
  readonly #onFrame: (body: FrameBody) => void;
  readonly #onLost: (reason: string) => void;

  constructor(relay: SocketRelay, localId: number, pop: string, remoteId: number, onFrame: (body: FrameBody) => void, onLost: (reason: string) => void) {
    this.#relay = relay;
    this.localId = localId;
    this.pop = pop;
    this.remoteId = remoteId;
    this.#onFrame = onFrame;
    this.#onLost = onLost;
  }

  /** Also after `lost`: the other end is then told why its socket ends. */
  send(...body: FrameBody): void {
    try {
      this.#relay.publish(this.pop, [this.remoteId, ++this.#sent, ...body] as Frame);
    } catch (error) {
      // Too large for the substrate (NATS' payload limit), or the view closed.
      this.lost(`A WebSocket frame could not be relayed to PoP "${this.pop}": ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  receive(seq: number, body: FrameBody): void {
    if (seq !== this.#received + 1) return this.lost(`WebSocket frames between PoPs were lost (expected frame ${this.#received + 1}, received ${seq})`);
    this.#received = seq;
    this.#onFrame(body);
  }

  lost(reason: string): void {
    if (this.#lost) return;
    this.#lost = true;
    this.#relay.drop(this.localId);
    this.#onLost(reason);
  }
}

export class SocketRelay {
  readonly #view: SubstrateView;
  readonly #channels = new Map<number, Channel>();
  /** When each PoP was last heard from. */
  readonly #heard = new Map<string, number>();
  readonly #objectSockets: Map<number, ObjectSocket>;
  readonly #subscription: Subscription<Message>;
  readonly #heartbeat: NodeJS.Timeout;
  readonly #silenceMs: number;

  private constructor(view: SubstrateView, subscription: Subscription<Message>, objectSockets: Map<number, ObjectSocket>, silenceMs: number) {
    this.#view = view;
    this.#subscription = subscription;
    this.#objectSockets = objectSockets;
    this.#silenceMs = silenceMs;
    this.#heartbeat = setInterval(() => this.#beat(), silenceMs / BEATS_PER_SILENCE).unref();
    void this.#follow();
  }

  /**
   * Listens for frames to this PoP's sockets; `objectSockets` are the PoP's
   * objects' sockets by id. A PoP silent for `silenceMs` (the objects' lease:
   * by then its objects may live elsewhere) is taken for gone.
   */
  static async open(view: SubstrateView, objectSockets: Map<number, ObjectSocket>, silenceMs: number): Promise<SocketRelay> {
    return new SocketRelay(view, await view.subscribe(subjectOf(view.pop)), objectSockets, silenceMs);
  }

  get pop(): string {
    return this.#view.pop;
  }

  /** A client's end, at this PoP, of socket `socketId` of an object at `pop`. */
  connect(pop: string, socketId: number): UpgradedSocket {
    return new RelayedSocket(this, pop, socketId);
  }

  channel(localId: number, pop: string, remoteId: number, onFrame: (body: FrameBody) => void, onLost: (reason: string) => void): Channel {
    const channel = new Channel(this, localId, pop, remoteId, onFrame, onLost);
    this.#channels.set(localId, channel);
    if (!this.#heard.has(pop)) this.#heard.set(pop, Date.now());
    return channel;
  }

  drop(localId: number): void {
    this.#channels.delete(localId);
  }

  /** Throws when the substrate refuses the frame (see Channel.send). */
  publish(pop: string, frame: Frame): void {
    this.#view.publish(subjectOf(pop), serialize(frame));
  }

  /** A frame no channel answers for (a heartbeat, a refusal): lost with the PoP, if it is gone. */
  #tell(pop: string, frame: Frame): void {
    try {
      this.publish(pop, frame);
    } catch {
      // The view is closing, or the PoP is unreachable: the heartbeat's silence covers it.
    }
  }

  async #follow(): Promise<void> {
    try {
      for await (const message of this.#subscription) this.#receive(message);
    } catch {
      // The substrate closed: so do the sockets, with the PoP.
    }
  }

  #receive(message: Message): void {
    this.#heard.set(message.from, Date.now());
    let frame: Frame;
    try {
      frame = deserialize(message.data) as Frame;
    } catch {
      return;
    }
    const [to, seq, ...body] = frame;
    if (body[0] === "alive") return;
    const channel = this.#channels.get(to);
    if (channel) return channel.receive(seq, body);
    if (body[0] === "attach") this.#attach(to, seq, body);
    // Anything else is for a socket that is done: its end already knows.
  }

  /** A client's PoP connects to socket `socketId` of an object here. */
  #attach(socketId: number, seq: number, [, pop, from]: ["attach", string, number]): void {
    const socket = this.#objectSockets.get(socketId);
    if (!socket || socket.done || socket.attached) {
      this.#tell(pop, [from, 1, "end", 1011, "The Durable Object's WebSocket is gone"]);
      return;
    }
    const channel = this.channel(socketId, pop, from, (body) => {
      if (body[0] === "msg") socket.deliverMessage(body[1]);
      else if (body[0] === "error") socket.deliverError(body[1]);
      else if (body[0] === "close") {
        this.drop(socketId);
        socket.deliverClose(body[1], body[2], body[3] ?? undefined);
      } else if (body[0] === "end") {
        this.drop(socketId);
        socket.end(body[1], body[2]);
      }
    }, (reason) => socket.end(1011, reason));
    channel.receive(seq, ["attach", pop, from]);
    socket.attach({
      send: (data) => channel.send("msg", data),
      close: (code, reason) => channel.send("close", code, reason, null),
    });
    void socket.closed.then(() => this.drop(socketId));
  }

  /** Tells every PoP with sockets here that this PoP lives; ends the sockets of PoPs gone silent. */
  #beat(): void {
    const now = Date.now();
    const pops = new Set([...this.#channels.values()].map((channel) => channel.pop));
    for (const pop of pops) {
      this.#tell(pop, [0, 0, "alive"]);
      const heard = this.#heard.get(pop) ?? now;
      if (now - heard < this.#silenceMs) continue;
      for (const channel of [...this.#channels.values()]) if (channel.pop === pop) channel.lost(`PoP "${pop}" stopped answering`);
    }
    for (const pop of this.#heard.keys()) if (!pops.has(pop)) this.#heard.delete(pop);
  }

  async close(): Promise<void> {
    clearInterval(this.#heartbeat);
    for (const channel of [...this.#channels.values()]) {
      channel.send("end", 1001, `PoP "${this.pop}" is shutting down`);
      channel.lost(`PoP "${this.pop}" is shutting down`);
    }
    await this.#subscription.close();
  }
}

/**
 * The client's end, at its PoP, of a socket an object at another PoP holds:
 * what the PoP's client connection sends goes to the object's PoP, and what
 * the object sends comes back to the connection.
 */
class RelayedSocket implements UpgradedSocket {
  readonly id = newSocketId();
  readonly closed: Promise<void>;
  #resolveClosed!: () => void;
  readonly #relay: SocketRelay;
  readonly #channel: Channel;
  #peer: SocketPeer | null = null;
  #ended: [number, string] | null = null;
  #done = false;

  constructor(relay: SocketRelay, pop: string, socketId: number) {
    this.closed = new Promise((resolve) => (this.#resolveClosed = resolve));
    this.#relay = relay;
    this.#channel = relay.channel(this.id, pop, socketId, (body) => this.#fromObject(body), (reason) => this.#lose(1011, reason));
  }

  attach(peer: SocketPeer): void {
    if (this.#peer) throw new Error(`WebSocket ${this.id} already has a peer`);
    this.#peer = peer;
    if (this.#ended) return peer.close(...this.#ended);
    this.#channel.send("attach", this.#relay.pop, this.id);
  }

  deliverMessage(data: string | Uint8Array): void {
    if (!this.#done) this.#channel.send("msg", data);
  }

  deliverClose(code: number, reason: string, wasClean = code !== 1006): void {
    if (this.#done) return;
    this.#channel.send("close", code, reason, wasClean);
    this.#finish();
  }

  deliverError(message: string): void {
    if (!this.#done) this.#channel.send("error", message);
  }

  /** The client's side is gone (its request ended before attaching, or the PoP closes): the object's socket ends too. */
  end(code: number, reason: string): void {
    if (this.#done) return;
    // Unattached, the object's PoP does not know this end yet: it learns it, then that it is gone.
    if (!this.#peer) this.#channel.send("attach", this.#relay.pop, this.id);
    this.#channel.send("end", code, reason);
    this.#lose(code, reason);
  }

  #fromObject(body: FrameBody): void {
    if (body[0] === "msg") this.#peer?.send(body[1]);
    else if (body[0] === "close") this.#peer?.close(body[1], body[2]);
    else if (body[0] === "end") this.#lose(body[1], body[2]);
  }

  /** The other side is gone: the client is told `code` (now, or when it attaches). */
  #lose(code: number, reason: string): void {
    if (this.#done) return;
    this.#ended = [code, reason];
    this.#peer?.close(code, reason);
    this.#finish();
  }

  #finish(): void {
    this.#done = true;
    // Frames still on their way to this end are for a socket that is done.
    this.#relay.drop(this.id);
    this.#resolveClosed();
  }
}
