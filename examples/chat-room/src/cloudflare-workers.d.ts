/**
 * Types for the part of the Workers runtime this example uses: the
 * `DurableObject` base class of `cloudflare:workers`, the WebSocket
 * hibernation API of its `ctx`, `WebSocketPair`, and `.html` imports as text.
 * Verge provides them when it bundles the worker; these declarations only
 * let TypeScript check the code, without an npm dependency. (Interfaces and
 * `var`s rather than classes, so that they merge with other examples'
 * declarations of the same names in one program.)
 */
declare module "cloudflare:workers" {
  /** `ctx.storage`: the object's own strongly consistent storage. */
  export interface DurableObjectStorage {
    put(key: string, value: unknown): Promise<void>;
    delete(key: string): Promise<boolean>;
    /** Keys and values in key order (or reversed), at most `limit` of them. */
    list<T = unknown>(options: { prefix?: string; reverse?: boolean; limit?: number }): Promise<Map<string, T>>;
  }
  export interface DurableObjectState {
    readonly storage: DurableObjectStorage;
    /** Hands `socket` to the runtime: its events call the object's `webSocket*` methods, even after the object was evicted. */
    acceptWebSocket(socket: WebSocket, tags?: string[]): void;
    /** The sockets accepted with `acceptWebSocket` and still open, with `tag` among their tags if given. */
    getWebSockets(tag?: string): WebSocket[];
  }
  /** The base class of Durable Object classes: it keeps `ctx` and `env`. */
  export interface DurableObject<Env = unknown> {
    readonly ctx: DurableObjectState;
    readonly env: Env;
  }
  // eslint-disable-next-line no-var -- an ambient value that merges with the interface above
  export var DurableObject: abstract new <Env = unknown>(ctx: DurableObjectState, env: Env) => DurableObject<Env>;
}

/** The Workers extensions of WebSocket used with the hibernation API. */
interface WebSocket {
  /** Keeps a structured-cloneable copy of `value` with the socket, across hibernation (2,048 bytes at most, serialized). */
  serializeAttachment(value: unknown): void;
  /** What `serializeAttachment` kept, or null. */
  deserializeAttachment(): unknown;
}

/** A Response may carry the client's end of a WebSocketPair, with status 101. */
interface ResponseInit {
  webSocket?: WebSocket | null;
}

/** Two linked WebSockets: one is returned to the client, the other kept. */
// eslint-disable-next-line no-var -- a global of the Workers runtime
declare var WebSocketPair: new () => { 0: WebSocket; 1: WebSocket };

declare module "*.html" {
  /** The file's text: the bundler imports `.html` files as strings. */
  const text: string;
  export default text;
}
