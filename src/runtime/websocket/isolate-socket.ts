/**
 * @module The host side of a WebSocket an isolate returned in a 101 Response.
 * It delivers the peer's frames into the isolate (entry `websocket`) and
 * sends the isolate's frames (ops `ws.send`, `ws.close`) to the attached
 * SocketPeer (see hosted-socket.ts). It knows nothing of the ws library or
 * node:http: the PoP attaches a peer over its client connection.
 */
import { Entry, type WireSocketEvent } from "../bridge/protocol.js";
import type { Invocation } from "../invocation.js";
import { HostedSocket } from "./hosted-socket.js";

/**
 * One isolate's WebSocket, host side. Its life is its request's: it ends
 * when the request fails or ends.
 * @example
 * const socket = outcome.response.webSocket;
 * socket.attach({ send: (data) => ws.send(data), close: (code, reason) => ws.close(code, reason) });
 * ws.on("message", (data) => socket.deliverMessage(String(data)));
 * await socket.closed;
 */
export class IsolateSocket extends HostedSocket {
  readonly invocation: Invocation;

  constructor(invocation: Invocation) {
    super();
    this.invocation = invocation;
    // A handler that threw, a CPU or memory limit, an isolate shut down: the client learns why by the code.
    invocation.onFail((code, message) => this.end(code === "worker_unavailable" ? 1012 : 1011, message));
    invocation.onEnd(() => this.end(1011, "The request ended"));
  }

  /** Never from inside an op: the event enters the isolate synchronously. */
  protected enter(event: WireSocketEvent): void {
    const invocation = this.invocation;
    if (invocation.ended || invocation.sandbox.dead) return;
    invocation.freshCpuBudget();
    invocation.sandbox.enter(Entry.WebSocket, invocation, this.id, event);
  }
}
