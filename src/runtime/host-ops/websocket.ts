/**
 * @module WebSocket ops: `ws.create` makes the host side (an IsolateSocket) of
 * the WebSocket the running request returns, `ws.send` and `ws.close` carry
 * the isolate's frames to it, and core.respond hands it to the outcome of the
 * 101 (`returnedSocket`). A binding may offer a request a socket of its own
 * to return (`offerSocket`: a Durable Object's, answered to a stub's fetch).
 * Everything is checked again here: the prelude's checks can be bypassed by
 * tenant code.
 */
import { serialize } from "node:v8";
import { isSendableCloseCode, Op, SENDABLE_CLOSE_CODES, WebSocketLimits } from "../bridge/protocol.js";
import type { Invocation } from "../invocation.js";
import { expectNumber, expectString, OpArgumentError, requireInvocation, type OpContext, type OpTable } from "../ops.js";
import type { UpgradedSocket } from "../websocket/hosted-socket.js";
import { IsolateSocket } from "../websocket/isolate-socket.js";

/** A close frame without a code (RFC 6455 §7.1.5). */
const NO_CODE = 1005;

/** The socket each invocation created: a request returns one Response, so at most one. */
const sockets = new WeakMap<Invocation, IsolateSocket>();
/** Sockets bindings offered each invocation, by id: any of them may be returned in its Response. */
const offered = new WeakMap<Invocation, Map<number, UpgradedSocket>>();

export const webSocketOps: OpTable = {
  [Op.WebSocketCreate](context) {
    const invocation = requireInvocation(context, "Returning a WebSocket");
    if (sockets.has(invocation)) throw new OpArgumentError("A request can return only one WebSocket");
    const socket = new IsolateSocket(invocation);
    sockets.set(invocation, socket);
    return socket.id;
  },
  [Op.WebSocketSend](context, [socketId, data]) {
    socketFor(context, socketId)?.serverSend(checkedMessage(data));
  },
  [Op.WebSocketClose](context, [socketId, code, reason]) {
    socketFor(context, socketId)?.serverClose(...checkedClose(code, reason));
  },
  [Op.WebSocketAttachment](_context, [value]) {
    checkedAttachment(value);
  },
};

/**
 * Lets the request return `socket` in a 101 Response (the isolate names it
 * by its id). It ends with the request, as the request's own socket does.
 */
export function offerSocket(invocation: Invocation, socket: UpgradedSocket): number {
  if (invocation.ended) {
    socket.end(1011, "The request ended");
    return socket.id;
  }
  let mine = offered.get(invocation);
  if (!mine) offered.set(invocation, (mine = new Map()));
  mine.set(socket.id, socket);
  invocation.onFail((code, message) => socket.end(code === "worker_unavailable" ? 1012 : 1011, message));
  invocation.onEnd(() => socket.end(1011, "The request ended"));
  return socket.id;
}

/** A message a worker sends: text or bytes within the size limit. */
export function checkedMessage(data: unknown): string | Uint8Array {
  if (typeof data !== "string" && !(data instanceof Uint8Array)) throw new OpArgumentError(`A WebSocket message must be text or bytes: received ${typeof data}`);
  const size = typeof data === "string" ? Buffer.byteLength(data) : data.byteLength;
  if (size > WebSocketLimits.MAX_MESSAGE_BYTES) throw new OpArgumentError(`WebSocket message is too large: ${size} bytes (the limit is ${WebSocketLimits.MAX_MESSAGE_BYTES})`);
  return data;
}

/** A worker's close frame: a code (null: none, 1005) Workers allows and a short reason. */
export function checkedClose(code: unknown, reason: unknown): [code: number, reason: string] {
  const closeCode = code === null ? NO_CODE : expectNumber(code, "close code");
  if (closeCode !== NO_CODE && !isSendableCloseCode(closeCode)) throw new OpArgumentError(`Invalid WebSocket close code: ${closeCode} (expected ${SENDABLE_CLOSE_CODES})`);
  const text = expectString(reason, "close reason");
  const bytes = Buffer.byteLength(text);
  if (bytes > WebSocketLimits.MAX_CLOSE_REASON_BYTES) throw new OpArgumentError(`WebSocket close reason is too long: ${bytes} bytes (the limit is ${WebSocketLimits.MAX_CLOSE_REASON_BYTES})`);
  return [closeCode, text];
}

/** A WebSocket's attachment, within its limit once serialized (the structured clone the bridge copied it with). */
export function checkedAttachment(value: unknown): unknown {
  const size = serialize(value).byteLength;
  if (size > WebSocketLimits.MAX_ATTACHMENT_BYTES) throw new RangeError(`WebSocket attachment is too large: ${size} bytes serialized (the limit is ${WebSocketLimits.MAX_ATTACHMENT_BYTES})`);
  return value;
}


/** The calling request's socket; none once the request ended (the isolate learns that at its next entry). */
function socketFor(context: OpContext, socketId: unknown): IsolateSocket | undefined {
  const id = expectNumber(socketId, "socket id");
  if (!context.invocation) return undefined;
  const socket = sockets.get(context.invocation);
  if (!socket || socket.id !== id) throw new OpArgumentError(`Unknown WebSocket: ${id}`);
  return socket;
}

/** For core.respond: the socket a 101 Response names, which must be the one its request created or one offered to it. */
export function returnedSocket(invocation: Invocation, socketId: unknown, status: unknown, body: unknown): UpgradedSocket {
  const own = sockets.get(invocation);
  const socket = own?.id === socketId ? own : offered.get(invocation)?.get(socketId as number);
  if (!socket) throw new OpArgumentError(`Unknown WebSocket: ${String(socketId)}`);
  if (status !== 101) throw new OpArgumentError(`A Response with a webSocket must have status 101: received ${String(status)}`);
  if (body !== null) throw new OpArgumentError("A Response with a webSocket cannot have a body");
  return socket;
}
