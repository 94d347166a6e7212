/**
 * @module Op `durable_object.socket`: an object's WebSockets, from its
 * instance. `open` makes the socket of a 101 the object answers with (its
 * tags when accepted with `ctx.acceptWebSocket`); `send`, `close` and `end`
 * carry the object's frames; `attach` keeps an attachment on the host, where
 * it outlives the instance; `list` answers `ctx.getWebSockets`. Frames are
 * checked again here as a request's own socket's are.
 */
import { checkedAttachment, checkedClose, checkedMessage } from "../../runtime/host-ops/websocket.js";
import { expectNumber, expectString, OpArgumentError, type OpContext } from "../../runtime/ops.js";
import { callerObject } from "./caller-object.js";
import type { ObjectHost } from "./host/object-host.js";
import type { SocketVerb, WireListedSocket } from "./wire.js";

export function socketOp(host: ObjectHost) {
  return (context: OpContext, [objectKey, verb, ...args]: unknown[]): unknown => {
    const owner = callerObject(host, context, objectKey, "Durable Object WebSockets");
    switch (verb as SocketVerb) {
      case "open":
        return owner.sockets.open(args[0] as string[] | null, args[1]).id;
      case "list": {
        const tag = args[0] === null ? null : expectString(args[0], "tag");
        return owner.sockets.hibernatable(tag).map((socket): WireListedSocket => [socket.id, socket.tags!, socket.attachment]);
      }
    }
    // The socket may be done already (its client left): what the object sends then goes nowhere.
    const socket = owner.sockets.get(expectNumber(args[0], "socket id"));
    switch (verb as SocketVerb) {
      case "send":
        return socket?.send(checkedMessage(args[1]));
      case "close":
        return socket?.close(...checkedClose(args[1], args[2]));
      case "end":
        return socket?.shutDown(1011, expectString(args[1], "reason"));
      case "attach": {
        const value = checkedAttachment(args[1]);
        if (socket) socket.attachment = value;
        return undefined;
      }
    }
    throw new OpArgumentError(`Unknown Durable Object socket call "${String(verb)}"`);
  };
}
