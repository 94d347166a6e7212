/**
 * @module What crosses the bridge for Durable Objects, shared by the host
 * (ops.ts, host/) and the isolate (shim/). Only copied data: isolated-vm
 * structured-clones arguments and results both ways.
 */

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
export type ObjectEventKind = "fetch" | "call" | "alarm" | "evict";

/** Entry `binding`, a: which object the event is for. */
export type ObjectEventHeader = [kind: typeof KIND, event: ObjectEventKind, className: string, namespaceId: string, id: string, name: string | null];

/**
 * Entry `binding`, b, by event: fetch `[metaJson, body]` (IncomingMeta JSON
 * and bytes or null); call `[method, args]`; alarm `retryCount`; evict null.
 */
export type ObjectEventPayload = [string, Uint8Array | null] | [string, unknown[]] | number | null;

/** A request to an object as the calling stub sends it: `[method, url, flatHeaders, body]`. */
export type WireObjectRequest = [method: string, url: string, headers: string[], body: Uint8Array | null];

/** An object's answer to a fetch, as the stub receives it. */
export type WireObjectResponse = [status: number, statusText: string, headers: string[], body: Uint8Array | null];

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
