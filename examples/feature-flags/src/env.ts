/** @module The bindings of the feature-flags worker. */

/** The part of the Workers KV API this worker uses. */
export interface KVNamespace {
  get(key: string, options: { type: "json"; cacheTtl?: number }): Promise<unknown>;
  put(key: string, value: string): Promise<void>;
}

export interface Env {
  /** `kv_namespaces` binding: the flags document lives under the key `flags`. */
  FLAGS: KVNamespace;
  /** Shared secret of the admin route (header `x-admin-secret`); empty or unset disables it. */
  ADMIN_SECRET?: string;
}

/** A Request as a worker receives it: with `cf`. */
export type EdgeRequest = Request & { cf?: { colo?: string } };
