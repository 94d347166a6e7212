/** @module The bindings of the kv-rate-limiter worker. */

/** The part of the Workers KV API this worker uses. */
export interface KVNamespace {
  get(key: string, options: { type: "json" }): Promise<unknown>;
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>;
}

export interface Env {
  /** `kv_namespaces` binding: one key `bucket:<client>` per client. */
  LIMITS: KVNamespace;
  /** Requests per window per client; 10 when unset or invalid. */
  RATE_LIMIT?: string;
  /** Window in seconds; 60 when unset or invalid. */
  RATE_WINDOW_SECONDS?: string;
}

/** A Request as a worker receives it: with `cf`. */
export type EdgeRequest = Request & { cf?: { colo?: string } };
