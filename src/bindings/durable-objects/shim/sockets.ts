/**
 * @module One instance's view of its object's WebSockets. The host holds the
 * sockets (they outlive the instance); here each has an end, a WebSocket the
 * object's code uses. An end accepted with `ctx.acceptWebSocket` is
 * hibernatable: its events go to the class's `webSocketMessage`, `Close` and
 * `Error` methods, and after the instance is evicted a new end stands for
 * the same socket (with its tags and attachment) when an event wakes it.
 */
import { opSync } from "../../../runtime/prelude/core/bridge.js";
import { acceptForHibernation, restoredWebSocket, socketAttachment, type SocketHost, type WebSocket } from "../../../runtime/prelude/web/websocket.js";
import { checkSocketTags, type WireListedSocket } from "../wire.js";

const OP = "durable_object.socket";

export class InstanceSockets {
  readonly #key: string;
  /** Ends of open sockets the host knows, by socket id. */
  readonly #ends = new Map<number, WebSocket>();
  /** Hibernatable ends and their tags. */
  readonly #tags = new WeakMap<WebSocket, string[]>();

  constructor(objectKey: string) {
    this.#key = objectKey;
  }

  /** ctx.acceptWebSocket(ws, tags). */
  accept(ws: WebSocket, tags: unknown): void {
    const checked = checkSocketTags(tags);
    acceptForHibernation(ws);
    this.#tags.set(ws, checked);
  }

  tagsOf(ws: WebSocket): string[] {
    const tags = this.#tags.get(ws);
    if (!tags) throw new TypeError("getTags() takes a WebSocket accepted with ctx.acceptWebSocket()");
    return [...tags];
  }

  /** The open hibernatable sockets (with `tag`, when given). */
  list(tag: string | null): WebSocket[] {
    return opSync<WireListedSocket[]>(OP, this.#key, "list", tag).map(([id, tags, attachment]) => this.endFor(id, tags, attachment)!);
  }

  /** The host side for `local`, the end the object keeps of the WebSocket it answers a fetch with. */
  hostFor(local: WebSocket): SocketHost {
    const tags = this.#tags.get(local) ?? null;
    const socketId = opSync<number>(OP, this.#key, "open", tags, socketAttachment(local));
    this.#ends.set(socketId, local);
    return this.#host(socketId);
  }

  /** The end for an event of socket `id`: this instance's, or a new one if it was hibernated; undefined for a non-hibernatable socket it does not know. */
  endFor(socketId: number, tags: string[] | null, attachment: unknown): WebSocket | undefined {
    const known = this.#ends.get(socketId);
    if (known || tags === null) return known;
    const end = restoredWebSocket(this.#host(socketId), attachment);
    this.#tags.set(end, tags);
    this.#ends.set(socketId, end);
    return end;
  }

  isHibernatable(end: WebSocket): boolean {
    return this.#tags.has(end);
  }

  forget(socketId: number): void {
    this.#ends.delete(socketId);
  }

  /** Ends a socket whose end this instance lost (it was reset): the client gets 1011. */
  endLost(socketId: number): void {
    opSync(OP, this.#key, "end", socketId, "The Durable Object was reset and lost this WebSocket");
  }

  #host(socketId: number): SocketHost {
    const key = this.#key;
    return {
      socketId,
      requestId: null,
      send: (data) => opSync(OP, key, "send", socketId, data),
      close: (code, reason) => opSync(OP, key, "close", socketId, code, reason),
      attach: (value) => opSync(OP, key, "attach", socketId, value),
    };
  }
}
