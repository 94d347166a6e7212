/**
 * @module One page of a KV listing on the host, shared by the `kv.list` op
 * and the dev control area: the checked options, the replica's keys and the
 * cursor that resumes after the last one.
 */
import type { KvListed, KvReplica } from "./replica.js";
import { checkListOptions, cursorAfter } from "./validate.js";

/** A page of keys; `cursor` is null once the listing is complete. */
export interface KvPage {
  keys: KvListed[];
  complete: boolean;
  cursor: string | null;
}

/** A key as `list()` shows it to a worker: `expiration` and `metadata` only when set. */
export interface KvListedKey {
  name: string;
  expiration?: number;
  metadata?: unknown;
}

/**
 * Lists `replica` as `env.KV.list({ prefix, limit, cursor })` does.
 *
 * @throws TypeError or RangeError naming a bad option and its value.
 * @example listPage(ns.replica, "user:", 100, null) // { keys: [...], complete: true, cursor: null }
 */
export function listPage(replica: KvReplica, prefix: unknown, limit: unknown, cursor: unknown): KvPage {
  const options = checkListOptions(prefix, limit, cursor);
  const { keys, complete } = replica.list(options.prefix, options.after, options.limit);
  const last = keys.at(-1);
  return { keys, complete, cursor: complete || !last ? null : cursorAfter(last.name) };
}

/** A `limit` given as text (a query string, a flag): a number when it is a whole number, else the text (so the error quotes it). */
export function limitFromText(text: string | null | undefined): number | string | undefined {
  if (text === null || text === undefined) return undefined;
  return /^\d+$/.test(text) ? Number(text) : text;
}

/** `{ name, expiration?, metadata? }` of a listed key, metadata parsed. */
export function listedKey(key: KvListed): KvListedKey {
  const shown: KvListedKey = { name: key.name };
  if (key.expiration !== null) shown.expiration = key.expiration;
  if (key.metadata !== null) shown.metadata = JSON.parse(key.metadata) as unknown;
  return shown;
}

/** A page as `list()` answers it: `{ keys, list_complete, cursor? }`. */
export function listResult(page: KvPage): { keys: KvListedKey[]; list_complete: boolean; cursor?: string } {
  const keys = page.keys.map(listedKey);
  return page.cursor === null ? { keys, list_complete: true } : { keys, list_complete: false, cursor: page.cursor };
}
