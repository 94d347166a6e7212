/**
 * @module Where `verge kv` reads and writes one namespace: over HTTP, a PoP
 * of `verge dev` or the control API of `verge start` (`area-target.ts`); or
 * a NATS cluster joined directly (`nats-target.ts`). Both take input already checked by `input.ts`.
 */
import type { KvListedKey } from "../../bindings/kv/listing.js";

export type { KvListedKey } from "../../bindings/kv/listing.js";

/** A page of keys, as `env.KV.list()` answers it. */
export interface KvListResult {
  keys: KvListedKey[];
  list_complete: boolean;
  cursor?: string;
}

/** A put's options as given (seconds, as text); the target turns them into an expiration. */
export interface KvPutOptions {
  expiration?: string;
  expirationTtl?: string;
  /** Metadata as JSON text, or null. */
  metadata: string | null;
}

/** One namespace, reached one way. Every call rejects with a `VergeError` naming what failed. */
export interface KvTarget {
  /** The value's bytes, or null when the key is absent. */
  get(key: string): Promise<Uint8Array | null>;
  /** The key as `list()` shows it (`{ name, expiration?, metadata? }`), or null when absent. */
  describe(key: string): Promise<KvListedKey | null>;
  /** Resolves once the write is durable. */
  put(key: string, value: Uint8Array, options: KvPutOptions): Promise<void>;
  delete(key: string): Promise<void>;
  list(options: { prefix?: string; limit?: number; cursor?: string }): Promise<KvListResult>;
  close(): Promise<void>;
}
