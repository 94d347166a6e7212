/**
 * @module `verge kv --dev-url`: one namespace through the KV dev control
 * area of a `verge dev` PoP (`/__verge/kv/…`, src/bindings/kv/admin.ts).
 */
import { VergeError } from "../../errors.js";
import type { KvListedKey, KvListResult, KvPutOptions, KvTarget } from "./target.js";

/** How long one call may take before the PoP counts as unreachable. */
const TIMEOUT_MS = 30_000;

/**
 * A namespace at a dev PoP.
 *
 * @example const kv = new DevKvTarget("http://127.0.0.1:8787", "flags"); await kv.get("beta");
 */
export class DevKvTarget implements KvTarget {
  readonly #base: string;
  readonly #namespace: string;

  constructor(devUrl: string, namespace: string) {
    this.#base = new URL(devUrl).origin;
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

  /** The PoP's answer; null for a 404 `not_found` (an absent key). */
  async #call(method: string, route: string, query?: URLSearchParams, body?: Uint8Array): Promise<Response | null> {
    const search = query && query.size > 0 ? `?${query}` : "";
    const url = `${this.#base}/__verge/kv/${encodeURIComponent(this.#namespace)}/${route}${search}`;
    let response: Response;
    try {
      response = await fetch(url, { method, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (error) {
      throw new VergeError("unreachable", `Cannot reach the dev PoP at ${this.#base} (is "verge dev" running there?): ${reason(error)}`, { cause: error });
    }
    if (response.ok) return response;
    const text = await response.text();
    const problem = errorOf(text);
    if (!problem) throw new VergeError("unreachable", `${this.#base} is not a PoP of "verge dev": ${method} ${route.split("/")[0]} answered HTTP ${response.status} ${JSON.stringify(text.slice(0, 80))}`);
    if (problem.code === "not_found") return null;
    throw new VergeError(response.status === 400 ? "usage" : "internal_error", problem.message);
  }
}

/** The `{ error: { code, message } }` of a platform error body, or null. */
function errorOf(text: string): { code: string; message: string } | null {
  try {
    const { error } = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    return typeof error?.code === "string" && typeof error.message === "string" ? { code: error.code, message: error.message } : null;
  } catch {
    return null;
  }
}

/** Why a fetch failed, in a few words: the system error code, or the timeout. */
function reason(error: unknown): string {
  if (error instanceof DOMException && error.name === "TimeoutError") return `no answer within ${TIMEOUT_MS / 1000} s`;
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
