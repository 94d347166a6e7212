/**
 * @module The host ops of the KV binding: reads are synchronous and local
 * (the PoP's replica); writes are async and settle once the mutation is
 * durable in the namespace's stream and applied here.
 */
import { requireInvocation, type OpContext, type OpTable } from "../../runtime/ops.js";
import type { KvNamespace } from "./namespace.js";
import type { KvEntry } from "./replica.js";
import { listPage } from "./listing.js";
import type { WireEntry, WireList } from "./wire.js";
import { checkExpiration, checkKey, checkKeys, checkMetadata, checkValue } from "./validate.js";

function wire(entry: KvEntry | null): WireEntry {
  if (!entry) return null;
  const bytes = entry.value;
  return [new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), entry.metadata];
}

/** The op table, over the namespaces prepared at this PoP (looked up by id). */
export function kvOps(namespaces: Map<string, KvNamespace>): OpTable {
  const namespace = (id: unknown, op: string, context: OpContext): KvNamespace => {
    if (typeof id !== "string") throw new TypeError(`KV ${op} failed: namespace id must be a string`);
    // Only the calling worker's own namespaces: its code can construct a KV object for any id.
    const bound = context.bindings.some((b) => b.kind === "kv" && (b.config as { id?: unknown } | null)?.id === id);
    const found = bound ? namespaces.get(id) : undefined;
    if (!found) throw new TypeError(`KV ${op} failed: namespace "${String(id)}" is not bound to this worker`);
    return found;
  };
  const write = (context: OpContext, op: string, ns: KvNamespace, mutation: Parameters<KvNamespace["write"]>[0]) => {
    const invocation = requireInvocation(context, `KV ${op}`);
    ns.write(mutation).then(
      () => invocation.settle(context.opId, true, null),
      (error: unknown) => invocation.rejectWith(context.opId, "Error", `KV ${op} failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  };
  return {
    "kv.get"(context, [id, key]) {
      requireInvocation(context, "KV get");
      const ns = namespace(id, "get", context);
      return wire(ns.replica.get(checkKey(key, "get")));
    },
    "kv.getMany"(context, [id, keys]) {
      requireInvocation(context, "KV get");
      const ns = namespace(id, "get", context);
      return checkKeys(keys).map((key) => wire(ns.replica.get(key)));
    },
    "kv.list"(context, [id, prefix, limit, cursor]): WireList {
      requireInvocation(context, "KV list");
      const ns = namespace(id, "list", context);
      const page = listPage(ns.replica, prefix, limit, cursor);
      return [page.keys.map((k) => [k.name, k.expiration, k.metadata]), page.complete, page.cursor];
    },
    "kv.put"(context, [id, key, value, expiration, expirationTtl, metadata]) {
      const ns = namespace(id, "put", context);
      const mutation = { kind: "put" as const, key: checkKey(key, "put"), value: checkValue(value), metadata: checkMetadata(metadata), expiration: checkExpiration(expiration, expirationTtl) };
      write(context, "put", ns, mutation);
    },
    "kv.delete"(context, [id, key]) {
      const ns = namespace(id, "delete", context);
      write(context, "delete", ns, { kind: "delete", key: checkKey(key, "delete"), value: new Uint8Array(0), metadata: null, expiration: null });
    },
  };
}
