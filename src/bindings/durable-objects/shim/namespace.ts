/**
 * @module `env.<BINDING>` for a Durable Object class in the isolate: ids and
 * stubs. Ids are made and checked by synchronous host ops (Workers' id calls
 * are synchronous and need HMAC). A stub's `fetch` and its RPC methods are
 * async ops; the host routes them to the PoP that owns the object.
 */
import { opAsync, opSync } from "../../../runtime/prelude/core/bridge.js";
import { workerExport } from "../../../runtime/prelude/core/worker.js";
import { responseFromWire } from "../../../runtime/prelude/fetch/fetch.js";
import { headersToFlat } from "../../../runtime/prelude/fetch/headers.js";
import { Request, type RequestInitLike } from "../../../runtime/prelude/fetch/request.js";
import { Response } from "../../../runtime/prelude/fetch/response.js";
import { foreignWebSocket } from "../../../runtime/prelude/web/websocket.js";
import type { DurableObjectBindingConfig, WireObjectRequest, WireObjectResponse } from "../wire.js";

/** Methods a stub never forwards as RPC: `fetch` is the stub's own, the others are the runtime's or promise machinery. */
const NOT_RPC = new Set(["then", "catch", "finally", "constructor", "toJSON", "alarm", "webSocketMessage", "webSocketClose", "webSocketError"]);

export class DurableObjectId {
  readonly #hex: string;
  readonly #namespaceId: string;
  readonly name: string | undefined;
  constructor(namespaceId: string, hex: string, name?: string) {
    this.#namespaceId = namespaceId;
    this.#hex = hex;
    this.name = name;
  }
  toString(): string {
    return this.#hex;
  }
  equals(other: unknown): boolean {
    return other instanceof DurableObjectId && other.#hex === this.#hex && other.#namespaceId === this.#namespaceId;
  }
  /** @internal The namespace the id belongs to. */
  static namespaceOf(id: DurableObjectId): string {
    return id.#namespaceId;
  }
  get [Symbol.toStringTag](): string {
    return "DurableObjectId";
  }
}

interface GetOptions {
  locationHint?: string;
}

function checkHint(options: unknown): string | null {
  if (options === undefined || options === null) return null;
  if (typeof options !== "object") throw new TypeError(`get() options must be an object: received ${typeof options}`);
  const hint = (options as GetOptions).locationHint;
  if (hint === undefined) return null;
  if (typeof hint !== "string") throw new TypeError(`locationHint must be a string: received ${typeof hint}`);
  return hint;
}

/** The stub's own surface; every other property is an RPC method (see stubProxy). */
class DurableObjectStub {
  readonly id: DurableObjectId;
  readonly name: string | undefined;
  readonly #target: [namespaceId: string, id: string, name: string | null, hint: string | null];
  constructor(namespaceId: string, id: DurableObjectId, hint: string | null) {
    this.id = id;
    this.name = id.name;
    this.#target = [namespaceId, id.toString(), id.name ?? null, hint];
  }
  async fetch(input: string | URL | Request, init?: RequestInitLike): Promise<Response> {
    const request = new Request(input, init);
    const body = request.body === null ? null : new Uint8Array(await request.arrayBuffer());
    const wire: WireObjectRequest = [request.method, request.url, headersToFlat(request.headers), body];
    const [status, statusText, headers, bytes, socketId] = await opAsync<WireObjectResponse>("durable_object.fetch", ...this.#target, wire);
    const pairs: [string, string][] = [];
    for (let i = 0; i < headers.length; i += 2) pairs.push([headers[i], headers[i + 1]]);
    // The object's WebSocket: returning this Response connects the client to it, wherever the object lives.
    if (socketId !== undefined) return new Response(null, { status: 101, statusText, headers: pairs, webSocket: foreignWebSocket(socketId) });
    return responseFromWire({ status, statusText, headers: pairs, body: bytes === null ? null : { bytes } });
  }
  /** @internal An RPC call: arguments and result are structured-cloned. */
  call(method: string, args: unknown[]): Promise<unknown> {
    return opAsync("durable_object.call", ...this.#target, method, args);
  }
  get [Symbol.toStringTag](): string {
    return "DurableObjectStub";
  }
}

function stubProxy(stub: DurableObjectStub): DurableObjectStub {
  return new Proxy(stub, {
    get(target, property) {
      if (typeof property === "symbol" || property === "id" || property === "name" || property === "fetch") {
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      }
      if (NOT_RPC.has(property)) return undefined;
      return (...args: unknown[]) => target.call(property, args);
    },
  });
}

export class DurableObjectNamespace {
  readonly #namespaceId: string;
  constructor(config: DurableObjectBindingConfig) {
    this.#namespaceId = config.namespaceId;
  }
  idFromName(name: string): DurableObjectId {
    if (typeof name !== "string") throw new TypeError(`idFromName() takes a string: received ${name === null ? "null" : typeof name}`);
    return new DurableObjectId(this.#namespaceId, opSync<string>("durable_object.idFromName", this.#namespaceId, name), name);
  }
  newUniqueId(options?: { jurisdiction?: string }): DurableObjectId {
    return new DurableObjectId(this.#namespaceId, opSync<string>("durable_object.newUniqueId", this.#namespaceId, options?.jurisdiction ?? null));
  }
  idFromString(hex: string): DurableObjectId {
    return new DurableObjectId(this.#namespaceId, opSync<string>("durable_object.idFromString", this.#namespaceId, hex));
  }
  get(id: DurableObjectId, options?: GetOptions): DurableObjectStub {
    if (!(id instanceof DurableObjectId)) throw new TypeError(`get() takes a DurableObjectId from idFromName, newUniqueId or idFromString: received ${id === null ? "null" : typeof id}`);
    if (DurableObjectId.namespaceOf(id) !== this.#namespaceId) throw new TypeError(`get() was given an id of another namespace ("${DurableObjectId.namespaceOf(id)}", not "${this.#namespaceId}")`);
    return stubProxy(new DurableObjectStub(this.#namespaceId, id, checkHint(options)));
  }
  getByName(name: string, options?: GetOptions): DurableObjectStub {
    return this.get(this.idFromName(name), options);
  }
  jurisdiction(_jurisdiction: string): DurableObjectNamespace {
    return this;
  }
  get [Symbol.toStringTag](): string {
    return "DurableObjectNamespace";
  }
}

/** The shim registered for kind "durable_object" in src/runtime/prelude/bindings.ts. */
export function durableObjectShim(name: string, config: unknown): unknown {
  const { className } = config as DurableObjectBindingConfig;
  if (typeof workerExport(className) !== "function") {
    throw new TypeError(`env.${name}: the worker does not export the Durable Object class "${className}" that durable_objects.bindings names`);
  }
  return new DurableObjectNamespace(config as DurableObjectBindingConfig);
}
