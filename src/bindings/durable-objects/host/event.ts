/**
 * @module An event for one Durable Object as the host carries it, from the
 * calling stub, possibly across PoPs, to the owner's isolate, and its reply.
 * Events and replies cross PoPs serialized with v8.serialize (structured
 * clone), the same algorithm the bridge uses for RPC arguments.
 */
import { deserialize, serialize } from "node:v8";
import type { WireSocketEvent } from "../../../runtime/bridge/protocol.js";
import type { LogLine } from "../../../runtime/index.js";
import type { ObjectEventHeader, ObjectEventPayload, WireObjectRequest, WireObjectResponse } from "../wire.js";
import { KIND } from "../wire.js";

/** Which object: its class, namespace and id, and where it would like to live. */
export interface ObjectTarget {
  worker: string;
  className: string;
  namespaceId: string;
  id: string;
  name: string | null;
  /** The stub's locationHint (a region or PoP name), or null. */
  hint: string | null;
}

export type ObjectEvent =
  | { kind: "fetch"; request: WireObjectRequest }
  | { kind: "call"; method: string; args: unknown[] }
  | { kind: "alarm"; retryCount: number }
  | { kind: "socket"; socketId: number; event: WireSocketEvent; tags: string[] | null; attachment: unknown };

export type ObjectReply =
  | { kind: "response"; response: WireObjectResponse; logs: LogLine[] }
  | { kind: "value"; value: unknown; logs: LogLine[] }
  /** A 101: the object holds socket `socketId` at PoP `pop`, for the caller to connect its client to. */
  | { kind: "upgrade"; response: WireObjectResponse; pop: string; socketId: number; logs: LogLine[] }
  | { kind: "error"; name: string; message: string; logs: LogLine[] };

/** The key the shim and the storage ops name an object by (`<namespace>/<id>`). */
export function objectKeyOf(target: Pick<ObjectTarget, "namespaceId" | "id">): string {
  return `${target.namespaceId}/${target.id}`;
}

export function errorReply(name: string, message: string, logs: LogLine[] = []): ObjectReply {
  return { kind: "error", name, message, logs };
}

/** The entry `binding` arguments that deliver `event` to the object in its isolate. */
export function toIsolate(target: ObjectTarget, event: ObjectEvent): [ObjectEventHeader, ObjectEventPayload] {
  const header: ObjectEventHeader = [KIND, event.kind, target.className, target.namespaceId, target.id, target.name];
  switch (event.kind) {
    case "fetch": {
      const [method, url, headers, body] = event.request;
      return [header, [JSON.stringify([method, url, "", ...headers]), body]];
    }
    case "call":
      return [header, [event.method, event.args]];
    case "alarm":
      return [header, event.retryCount];
    case "socket":
      return [header, [event.socketId, event.event, event.tags, event.attachment]];
  }
}

/** The header that tells an object's isolate to forget its instance. */
export function evictHeader(target: ObjectTarget): ObjectEventHeader {
  return [KIND, "evict", target.className, target.namespaceId, target.id, target.name];
}

export interface ForwardedEvent {
  target: ObjectTarget;
  event: ObjectEvent;
  /** PoPs this event went through already: bounded, so a stale directory cannot bounce it forever. */
  hops: number;
}

export const encode = (value: ForwardedEvent | ObjectReply): Uint8Array => serialize(value);
export const decode = <T>(bytes: Uint8Array): T => deserialize(bytes) as T;
