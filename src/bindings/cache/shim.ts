/**
 * @module The Cache API tenant code sees: the global `caches` (`default`,
 * `open(name)`) and `Cache` with `match`, `put`, `delete`. Requests and
 * responses become copied data here; the host decides what HTTP caching
 * lets it store.
 */
import { opSync } from "../../runtime/prelude/core/bridge.js";
import { headersToWire } from "../../runtime/prelude/fetch/headers.js";
import { Request } from "../../runtime/prelude/fetch/request.js";
import { Response } from "../../runtime/prelude/fetch/response.js";
import type { WireCachedResponse } from "./wire.js";

type RequestLike = Request | string | URL;
interface QueryOptions {
  ignoreMethod?: boolean;
}

const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);
/** Only the platform makes Cache objects: `new Cache()` is an illegal constructor, as in Workers. */
const TOKEN = Symbol("cache");

const asRequest = (input: RequestLike): Request => (input instanceof Request ? input : new Request(input));

export class Cache {
  readonly #name: string | null;

  constructor(token: symbol, name: string | null) {
    if (token !== TOKEN) throw new TypeError("Illegal constructor");
    this.#name = name;
  }

  async match(input: RequestLike, options?: QueryOptions): Promise<Response | undefined> {
    const request = asRequest(input);
    const found = opSync<WireCachedResponse>("cache.match", this.#name, request.url, request.method, headersToWire(request.headers), options?.ignoreMethod === true);
    if (!found) return undefined;
    const [status, statusText, headers, body] = found;
    return new Response(NULL_BODY_STATUS.has(status) ? null : body, { status, statusText, headers });
  }

  async put(input: RequestLike, response: Response): Promise<void> {
    const request = asRequest(input);
    if (!(response instanceof Response)) throw new TypeError("Cache.put: the second argument must be a Response");
    if (request.method !== "GET") throw new TypeError(`Cache.put: only GET requests can be cached: received ${request.method}`);
    if (response.status === 206) throw new TypeError("Cache.put: a partial response (206) cannot be cached");
    if (response.bodyUsed) throw new TypeError("Cache.put: the response body has already been used");
    const body = new Uint8Array(await response.arrayBuffer());
    opSync("cache.put", this.#name, request.url, request.method, headersToWire(request.headers), response.status, response.statusText, headersToWire(response.headers), body);
  }

  async delete(input: RequestLike, options?: QueryOptions): Promise<boolean> {
    const request = asRequest(input);
    return opSync<boolean>("cache.delete", this.#name, request.url, request.method, options?.ignoreMethod === true);
  }
}

export class CacheStorage {
  readonly default: Cache;

  constructor(token: symbol) {
    if (token !== TOKEN) throw new TypeError("Illegal constructor");
    this.default = new Cache(TOKEN, null);
  }

  async open(name: string): Promise<Cache> {
    if (typeof name !== "string") throw new TypeError(`caches.open: the cache name must be a string: received ${typeof name}`);
    return new Cache(TOKEN, name);
  }
}

/** The global `caches`. */
export const createCaches = (): CacheStorage => new CacheStorage(TOKEN);
