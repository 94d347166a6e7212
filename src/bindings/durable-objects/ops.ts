/**
 * @module The host ops of Durable Object namespaces: ids (synchronous, as in
 * Workers), a stub's fetch and RPC calls (routed by the PoP's ObjectHost),
 * an object's answer to a call, and its storage (storage-ops.ts). Every op
 * checks that the namespace is bound to the calling worker and every id
 * against its namespace.
 */
import { offerSocket } from "../../runtime/host-ops/websocket.js";
import type { Invocation } from "../../runtime/invocation.js";
import { OpArgumentError, requireInvocation, type OpContext, type OpTable } from "../../runtime/ops.js";
import type { DurableObjectBindingConfig } from "./config.js";
import { type ObjectEvent, type ObjectReply, type ObjectTarget } from "./host/event.js";
import { hintPosition } from "./host/location-hints.js";
import type { ObjectHost } from "./host/object-host.js";
import type { ObjectScope } from "./host/owned-object.js";
import { idFromName, idFromString, ObjectIdError, newUniqueId, type Jurisdiction } from "./ids.js";
import { socketOp } from "./socket-ops.js";
import { storageOp } from "./storage-ops.js";
import { KIND, type WireObjectRequest, type WireObjectResponse } from "./wire.js";

function boundConfig(context: OpContext, namespaceId: unknown): DurableObjectBindingConfig {
  const binding = context.bindings.find((b) => b.kind === KIND && (b.config as DurableObjectBindingConfig).namespaceId === namespaceId);
  if (!binding) throw new OpArgumentError(`Durable Object namespace ${JSON.stringify(namespaceId)} is not bound to this worker`);
  return binding.config as DurableObjectBindingConfig;
}

/** Id failures reach tenant code as TypeErrors with the id module's message. */
function ids<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    if (error instanceof ObjectIdError) throw new TypeError(error.message);
    throw error;
  }
}

function targetOf(context: OpContext, [namespaceId, id, name, hint]: unknown[]): ObjectTarget {
  const config = boundConfig(context, namespaceId);
  const checked = ids(() => idFromString(config.namespaceId, id as string)).toString();
  if (hint !== null && typeof hint !== "string") throw new OpArgumentError("locationHint must be a string");
  if (hint !== null) hintPosition(hint);
  return { worker: context.worker, className: config.className, namespaceId: config.namespaceId, id: checked, name: typeof name === "string" ? name : null, hint };
}

function checkRequest(request: unknown): WireObjectRequest {
  const [method, url, headers, body] = Array.isArray(request) ? request : [];
  if (typeof method !== "string" || typeof url !== "string" || !Array.isArray(headers) || !headers.every((h) => typeof h === "string") || !(body === null || body instanceof Uint8Array)) {
    throw new OpArgumentError("Bad Durable Object request");
  }
  return [method, url, headers, body];
}

/** Runs `event` and settles the calling op with what `answer` makes of the reply. */
function dispatch(host: ObjectHost, context: OpContext, target: ObjectTarget, event: ObjectEvent, answer: (reply: ObjectReply, invocation: Invocation) => unknown): void {
  const invocation = requireInvocation(context, "A Durable Object stub");
  // Later, never from inside this op: the object may live in this very isolate.
  setImmediate(() => {
    host
      .deliver(target, event)
      .then(async (reply) => {
        invocation.logs.push(...reply.logs.map((line) => ({ ...line, message: `[${target.className} ${target.id.slice(0, 8)}] ${line.message}` })));
        if (reply.kind === "error") invocation.rejectWith(context.opId, reply.name, reply.message);
        else invocation.settle(context.opId, true, await answer(reply, invocation));
      })
      .catch((error: unknown) => invocation.rejectWith(context.opId, "Error", error instanceof Error ? error.message : String(error)));
  });
}

/** What the stub's fetch receives: the response, and for a 101 the socket the caller may return, offered to its request. */
async function fetchAnswer(host: ObjectHost, reply: ObjectReply, invocation: Invocation): Promise<WireObjectResponse> {
  if (reply.kind === "upgrade") {
    const socket = await host.connect(reply);
    const [status, statusText, headers] = reply.response;
    return [status, statusText, headers, null, offerSocket(invocation, socket)];
  }
  return reply.kind === "response" ? reply.response : [500, "", [], null];
}

export function durableObjectOps(host: ObjectHost): OpTable {
  return {
    "durable_object.idFromName"(context, [namespaceId, name]) {
      return ids(() => idFromName(boundConfig(context, namespaceId).namespaceId, name as string)).toString();
    },
    "durable_object.newUniqueId"(context, [namespaceId, jurisdiction]) {
      const options = jurisdiction === null ? {} : { jurisdiction: jurisdiction as Jurisdiction };
      return ids(() => newUniqueId(boundConfig(context, namespaceId).namespaceId, options)).toString();
    },
    "durable_object.idFromString"(context, [namespaceId, hex]) {
      return ids(() => idFromString(boundConfig(context, namespaceId).namespaceId, hex as string)).toString();
    },
    "durable_object.fetch"(context, args) {
      const target = targetOf(context, args);
      const request = checkRequest(args[4]);
      dispatch(host, context, target, { kind: "fetch", request }, (reply, invocation) => fetchAnswer(host, reply, invocation));
    },
    "durable_object.call"(context, args) {
      const target = targetOf(context, args);
      const [method, callArgs] = [args[4], args[5]];
      if (typeof method !== "string" || !Array.isArray(callArgs)) throw new OpArgumentError("Bad Durable Object call");
      dispatch(host, context, target, { kind: "call", method, args: callArgs }, (reply) => (reply.kind === "value" ? reply.value : undefined));
    },
    "durable_object.reply"(context, [ok, value]) {
      const invocation = requireInvocation(context, "Answering a Durable Object call");
      const scope = invocation.scope as ObjectScope | undefined;
      if (!scope || scope.result) return;
      const error = (value ?? {}) as { name?: unknown; message?: unknown };
      scope.result = ok === true ? { ok: true, value } : { ok: false, name: String(error.name ?? "Error"), message: String(error.message ?? "") };
      invocation.respond({ status: 200, statusText: "", headers: [], body: null });
    },
    /** The object answers its fetch with a 101 and the socket it opened (op `durable_object.socket` "open"). */
    "durable_object.upgrade"(context, [socketId, statusText, headers]) {
      const invocation = requireInvocation(context, "Answering with a WebSocket");
      const scope = invocation.scope as ObjectScope | undefined;
      if (!scope || scope.result || scope.upgrade) throw new OpArgumentError("Only a Durable Object's fetch() can answer with its WebSocket");
      if (!scope.object.sockets.get(socketId as number)) throw new OpArgumentError(`Unknown WebSocket: ${String(socketId)}`);
      if (typeof statusText !== "string" || !Array.isArray(headers) || !headers.every((h) => typeof h === "string")) throw new OpArgumentError("Bad Durable Object upgrade");
      scope.upgrade = { socketId: socketId as number, statusText, headers: headers };
      invocation.respond({ status: 200, statusText: "", headers: [], body: null });
    },
    "durable_object.storage": storageOp(host),
    "durable_object.socket": socketOp(host),
  };
}

