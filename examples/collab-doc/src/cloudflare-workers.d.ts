/**
 * Types for the part of the Workers runtime this example uses: the
 * `DurableObject` base class of `cloudflare:workers`, its storage, the
 * WebSocket hibernation API of its `ctx`, and `WebSocketPair`. Verge
 * provides them when it bundles the worker; these declarations only let
 * TypeScript check the code, without an npm dependency. (Interfaces and
 * `var`s rather than classes, so that they merge with other examples'
 * declarations of the same names in one program.)
 */
declare module "cloudflare:workers" {
  /** What `ctx.storage.transaction()` hands its closure: the same calls, committed together. */
  export interface DurableObjectTransaction {
    put(entries: Record<string, unknown>): Promise<void>;
    delete(keys: string[]): Promise<number>;
  }
  /** `ctx.storage`: the object's own strongly consistent storage. */
  export interface DurableObjectStorage {
    put(key: string, value: unknown): Promise<void>;
    /** Keys and values in key order, those starting with `prefix`. */
    list<T = unknown>(options: { prefix: string }): Promise<Map<string, T>>;
    /** Runs `closure`; its writes are committed all together or not at all. */
    transaction<T>(closure: (txn: DurableObjectTransaction) => Promise<T>): Promise<T>;
  }
  export interface DurableObjectState {
    readonly storage: DurableObjectStorage;
    /** Delivers no other event to the object until `callback` settles. */
    blockConcurrencyWhile<T>(callback: () => Promise<T>): Promise<T>;
    /** Hands `socket` to the runtime, with `tags`: its events call the object's `webSocket*` methods, even after the object was evicted. */
    acceptWebSocket(socket: WebSocket, tags?: string[]): void;
    /** The sockets accepted with `acceptWebSocket` and still open, with `tag` among their tags if given. */
    getWebSockets(tag?: string): WebSocket[];
    /** The tags `socket` was accepted with. */
    getTags(socket: WebSocket): string[];
  }
  /** The base class of Durable Object classes: it keeps `ctx` and `env`. */
  export interface DurableObject<Env = unknown> {
    readonly ctx: DurableObjectState;
    readonly env: Env;
  }
  // eslint-disable-next-line no-var -- an ambient value that merges with the interface above
  export var DurableObject: abstract new <Env = unknown>(ctx: DurableObjectState, env: Env) => DurableObject<Env>;
}

/** A Response may carry the client's end of a WebSocketPair, with status 101. */
interface ResponseInit {
  webSocket?: WebSocket | null;
}

/** Two linked WebSockets: one is returned to the client, the other kept. */
// eslint-disable-next-line no-var -- a global of the Workers runtime
declare var WebSocketPair: new () => { 0: WebSocket; 1: WebSocket };
