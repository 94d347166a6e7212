/**
 * @module The Durable Object instances living in this isolate, and delivery
 * of the host's events to them (entry `binding`). An instance is constructed
 * on its first event (`new Class(ctx, env)`) and forgotten when the host
 * evicts it, when blockConcurrencyWhile's callback throws, or with the
 * isolate; its storage and WebSockets live on the host and outlast it.
 */
import { Op, type IncomingBody } from "../../../runtime/bridge/protocol.js";
import { opSyncFor, setCurrentRequest, toWireError } from "../../../runtime/prelude/core/bridge.js";
import { sendResponse, workerEnv, workerExport } from "../../../runtime/prelude/core/worker.js";
import { headersToFlat } from "../../../runtime/prelude/fetch/headers.js";
import { incomingRequest } from "../../../runtime/prelude/fetch/request.js";
import { Response } from "../../../runtime/prelude/fetch/response.js";
import { linkWebSocket, markClosed, receiveOn, toSocketEvent, type WebSocket } from "../../../runtime/prelude/web/websocket.js";
import type { ObjectEventHeader, ObjectEventPayload, WireSocketEventPayload } from "../wire.js";
import { DurableObjectId } from "./namespace.js";
import { InstanceSockets } from "./sockets.js";
import { DurableObjectState, InputGate } from "./state.js";

/** RPC may not reach these: they are the runtime's handlers or every object's. */
const RESERVED_METHODS = new Set(["constructor", "fetch", "alarm", "webSocketMessage", "webSocketClose", "webSocketError"]);

interface Instance {
  object: Record<string, unknown>;
  gate: InputGate;
  sockets: InstanceSockets;
}

const instances = new Map<string, Instance>();

function reply(requestId: number, ok: boolean, value: unknown): void {
  try {
    opSyncFor(requestId, "durable_object.reply", ok, ok ? value : toWireError(value));
  } catch (error) {
    // The value could not be cloned across: the caller gets that instead.
    const message = error instanceof Error ? error.message : String(error);
    opSyncFor(requestId, "durable_object.reply", false, { name: "DataCloneError", message: `The result of the Durable Object call could not be cloned: ${message}` });
  }
}

function construct(key: string, [, , className, namespaceId, id, name]: ObjectEventHeader): Instance {
  const Class = workerExport(className);
  if (typeof Class !== "function") throw new TypeError(`The worker does not export a Durable Object class named "${className}"`);
  const gate = new InputGate();
  const sockets = new InstanceSockets(key);
  const state = new DurableObjectState(new DurableObjectId(namespaceId, id, name ?? undefined), key, gate, sockets, () => {
    if (instances.get(key)?.gate === gate) instances.delete(key);
  });
  const instance: Instance = { object: {}, gate, sockets };
  instances.set(key, instance);
  try {
    instance.object = new (Class as new (ctx: unknown, env: unknown) => Record<string, unknown>)(state, workerEnv());
  } catch (error) {
    instances.delete(key);
    throw error;
  }
  return instance;
}

/** The method `name` of the object's class (not of Object.prototype), or a TypeError naming it. */
function rpcMethod(object: Record<string, unknown>, name: string, className: string): (...args: unknown[]) => unknown {
  let method: unknown;
  if (!RESERVED_METHODS.has(name) && !name.startsWith("__")) {
    for (let proto: object | null = object; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      if (descriptor) {
        method = descriptor.value;
        break;
      }
    }
  }
  if (typeof method !== "function") throw new TypeError(`The Durable Object class "${className}" has no method "${name}" callable over RPC`);
  return method as (...args: unknown[]) => unknown;
}

async function deliver(requestId: number, instance: Instance, header: ObjectEventHeader, payload: ObjectEventPayload): Promise<void> {
  const object = instance.object;
  const className = header[2];
  switch (header[1]) {
    case "fetch": {
      const [metaJson, body] = payload as [string, IncomingBody];
      if (typeof object.fetch !== "function") throw new TypeError(`The Durable Object class "${className}" has no fetch() method`);
      const request = incomingRequest(metaJson, body, new AbortController().signal);
      const response = await (object.fetch as (request: unknown) => unknown).call(object, request);
      if (response instanceof Response && response.webSocket !== null) {
        // The socket is the object's, not the request's: the host keeps it when this event ends.
        const socketId = linkWebSocket(response.webSocket as WebSocket, (local) => instance.sockets.hostFor(local));
        return void opSyncFor(requestId, "durable_object.upgrade", socketId, response.statusText, headersToFlat(response.headers));
      }
      return sendResponse(requestId, response);
    }
    case "socket":
      await socketEvent(instance, className, payload as WireSocketEventPayload);
      return reply(requestId, true, null);
    case "call": {
      const [method, args] = payload as [string, unknown[]];
      return reply(requestId, true, await rpcMethod(object, method, className).apply(object, args));
    }
    case "alarm": {
      if (typeof object.alarm !== "function") return reply(requestId, true, null);
      const retryCount = payload as number;
      await (object.alarm as (info: unknown) => unknown).call(object, { retryCount, isRetry: retryCount > 0 });
      return reply(requestId, true, null);
    }
    case "evict":
      return;
  }
}

/** A frame from a socket's client: to the hibernation handlers, or to the listeners of an end accepted with accept(). */
async function socketEvent(instance: Instance, className: string, [socketId, wire, tags, attachment]: WireSocketEventPayload): Promise<void> {
  const { object, sockets } = instance;
  const event = toSocketEvent(wire);
  const end = sockets.endFor(socketId, tags, attachment);
  if ("close" in event) sockets.forget(socketId);
  if (!end) {
    if (!("close" in event)) sockets.endLost(socketId);
    return;
  }
  if (!sockets.isHibernatable(end)) return receiveOn(end, wire);
  if ("message" in event) {
    if (typeof object.webSocketMessage !== "function") throw new TypeError(`The Durable Object class "${className}" accepted a WebSocket with ctx.acceptWebSocket() but has no webSocketMessage() method`);
    await (object.webSocketMessage as (ws: WebSocket, message: unknown) => unknown).call(object, end, event.message);
  } else if ("close" in event) {
    markClosed(end);
    if (typeof object.webSocketClose === "function") await (object.webSocketClose as (ws: WebSocket, ...close: unknown[]) => unknown).call(object, end, ...event.close);
  } else if (typeof object.webSocketError === "function") {
    await (object.webSocketError as (ws: WebSocket, error: unknown) => unknown).call(object, end, new Error(event.error));
  }
}

/** Entry `binding` for kind durable_object: one event for one object. */
export function dispatchObjectEvent(requestId: number, header: ObjectEventHeader, payload: ObjectEventPayload): void {
  const key = `${header[3]}/${header[4]}`;
  if (header[1] === "evict") {
    instances.delete(key);
    return;
  }
  const finish = (work: Promise<void>) => {
    work
      .catch((error: unknown) => reply(requestId, false, error))
      .finally(() => opSyncFor(requestId, Op.WaitUntil));
  };
  let instance: Instance;
  try {
    instance = instances.get(key) ?? construct(key, header);
  } catch (error) {
    return finish(Promise.reject(error));
  }
  instance.gate.run(() => {
    // A queued event runs in the entry that opened the gate: its ops must name its own request.
    setCurrentRequest(requestId);
    let work: Promise<void>;
    try {
      work = deliver(requestId, instance, header, payload);
    } catch (error) {
      work = Promise.reject(error);
    }
    finish(work);
  });
}
