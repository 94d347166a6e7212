/**
 * @module What crosses the bridge for Durable Objects, shared by the host
 * (ops.ts, host/) and the isolate (shim/). Only copied data: isolated-vm
 * structured-clones arguments and results both ways.
 */
import type { WireSocketEvent } from "../../runtime/bridge/protocol.js";

/** The binding kind of Durable Object namespaces (wrangler's `durable_objects.bindings`). */
export const KIND = "durable_object";

/** What the shim and the host ops receive for one Durable Object binding. */
export interface DurableObjectBindingConfig {
  /** The exported class the binding names, e.g. "ChatRoom". */
  className: string;
  /** The class's namespace: a substrate key segment, e.g. "chat-ChatRoom". */
  namespaceId: string;
}

/** Events the host delivers to an object in the isolate (entry `binding`). */
export type ObjectEventKind = "fetch" | "call" | "alarm" | "socket" | "evict";

/** Entry `binding`, a: which object the event is for. */
export type ObjectEventHeader = [kind: typeof KIND, event: ObjectEventKind, className: string, namespaceId: string, id: string, name: string | null];

/**
 * Entry `binding`, b, by event: fetch `[metaJson, body]` (IncomingMeta JSON
 * and bytes or null); call `[method, args]`; alarm `retryCount`; socket
 * WireSocketEventPayload; evict null.
 */
export type ObjectEventPayload = [string, Uint8Array | null] | [string, unknown[]] | number | WireSocketEventPayload | null;

/**
 * A frame from the client of one of the object's WebSockets: the socket, the
 * frame (as entry `websocket` carries it), and for a hibernatable socket its
 * tags and attachment (null tags: accepted with accept(), not hibernatable).
 */
export type WireSocketEventPayload = [socketId: number, event: WireSocketEvent, tags: string[] | null, attachment: unknown];

/** Op `durable_object.socket` verbs: open a socket for a 101, send, close, end (the platform's close), keep an attachment, list hibernatable sockets. */
export type SocketVerb = "open" | "send" | "close" | "end" | "attach" | "list";

/** What `list` answers per hibernatable socket: its id, tags and attachment. */
export type WireListedSocket = [socketId: number, tags: string[], attachment: unknown];

/** Hibernatable WebSockets, as Workers limits them. */
export const SocketLimits = {
  /** Sockets one object may hold. */
  MAX_SOCKETS: 32_768,
  MAX_TAGS: 10,
  /** Characters of one tag. */
  MAX_TAG_LENGTH: 256,
} as const;

/** A request to an object as the calling stub sends it: `[method, url, flatHeaders, body]`. */
export type WireObjectRequest = [method: string, url: string, headers: string[], body: Uint8Array | null];

/** An object's answer to a fetch, as the stub receives it; a 101 names the WebSocket the caller may return. */
export type WireObjectResponse = [status: number, statusText: string, headers: string[], body: Uint8Array | null, socketId?: number];

/** A storage call: its verb and arguments (see ops/storage-ops.ts). */
export type StorageVerb =
  | "get" | "getMany" | "put" | "putMany" | "delete" | "deleteMany" | "list" | "deleteAll"
  | "getAlarm" | "setAlarm" | "deleteAlarm" | "sql" | "databaseSize" | "sync"
  | "txBegin" | "txCall" | "txCommit" | "txRollback";

/** What `sql` answers: the whole result at once. */
export interface WireSqlResult {
  columnNames: string[];
  rows: unknown[][];
  rowsRead: number;
  rowsWritten: number;
}

/**
 * The tags of `ctx.acceptWebSocket`, checked by the shim and again by the
 * host (tenant code can bypass the shim): at most 10 strings of 1 to 256
 * characters. `undefined` is no tags.
 */
export function checkSocketTags(tags: unknown): string[] {
  if (tags === undefined) return [];
  if (!Array.isArray(tags)) throw new TypeError(`acceptWebSocket() tags must be an array of strings: received ${tags === null ? "null" : typeof tags}`);
  if (tags.length > SocketLimits.MAX_TAGS) throw new RangeError(`acceptWebSocket() takes at most ${SocketLimits.MAX_TAGS} tags: received ${tags.length}`);
  for (const tag of tags) {
    if (typeof tag !== "string") throw new TypeError(`A WebSocket tag must be a string: received ${tag === null ? "null" : typeof tag}`);
    if (tag.length === 0 || tag.length > SocketLimits.MAX_TAG_LENGTH) throw new RangeError(`A WebSocket tag must be 1 to ${SocketLimits.MAX_TAG_LENGTH} characters: received a tag of ${tag.length}`);
  }
  return [...(tags as string[])];
}
