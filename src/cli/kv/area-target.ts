/**
 * @module `verge kv --dev-url` and `verge kv --api`: one namespace through
 * the KV control area (src/bindings/kv/admin.ts) of a `verge dev` PoP
 * (`/__verge/kv/…`) or of the control API of `verge start` (`/v1/areas/kv/…`).
 */
import { callArea, type AreaEndpoint } from "../dev-area.js";
import type { KvListedKey, KvListResult, KvPutOptions, KvTarget } from "./target.js";

/**
 * A namespace through a control area.
 *
 * @example const kv = new AreaKvTarget(devEndpoint("http://127.0.0.1:8787"), "flags"); await kv.get("beta");
 */
export class AreaKvTarget implements KvTarget {
  readonly #endpoint: AreaEndpoint;
  readonly #namespace: string;

  constructor(endpoint: AreaEndpoint, namespace: string) {
    this.#endpoint = endpoint;
    this.#namespace = namespace;
  }

  async get(key: string): Promise<Uint8Array | null> {
    const response = await this.#call("GET", `values/${encodeURIComponent(key)}`);
    return response && new Uint8Array(await response.arrayBuffer());
  }

  async describe(key: string): Promise<KvListedKey | null> {
    const response = await this.#call("GET", `metadata/${encodeURIComponent(key)}`);
    return response && ((await response.json()) as KvListedKey);
  }

  async put(key: string, value: Uint8Array, options: KvPutOptions): Promise<void> {
    const query = new URLSearchParams();
    if (options.expiration !== undefined) query.set("expiration", options.expiration);
    if (options.expirationTtl !== undefined) query.set("expiration_ttl", options.expirationTtl);
    if (options.metadata !== null) query.set("metadata", options.metadata);
    await this.#call("PUT", `values/${encodeURIComponent(key)}`, query, value);
  }

  async delete(key: string): Promise<void> {
    await this.#call("DELETE", `values/${encodeURIComponent(key)}`);
  }

  async list(options: { prefix?: string; limit?: number; cursor?: string }): Promise<KvListResult> {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(options)) if (value !== undefined) query.set(name, String(value));
    const response = await this.#call("GET", "keys", query);
    return (await response!.json()) as KvListResult;
  }

  async close(): Promise<void> {}

  /** The area's answer; null for a 404 `not_found` (an absent key). */
  #call(method: string, route: string, query?: URLSearchParams, body?: Uint8Array): Promise<Response | null> {
    const search = query && query.size > 0 ? `?${query}` : "";
    return callArea(this.#endpoint, method, `kv/${encodeURIComponent(this.#namespace)}/${route}${search}`, body);
  }
}
