/** @module `kv_namespaces` of a wrangler config turned into KV binding descriptors. */
import { basename } from "node:path";
import { VergeError } from "../../errors.js";
import { formatValue } from "../../config/format.js";
import type { BindingDescriptor } from "../types.js";

/** What the shim and the host ops receive for one KV binding. */
export interface KvBindingConfig {
  /** The namespace id: the replica's name and the stream `kv-<id>`. */
  id: string;
}

const BINDING_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
// Stream names are 1 to 64 characters of A-Z a-z 0-9 - _, and the stream is `kv-<id>`.
const NAMESPACE_ID = /^[A-Za-z0-9_-]{1,61}$/;
/** What a namespace id must be, for error messages. */
export const NAMESPACE_ID_RULE = "must be 1 to 61 characters of A-Z a-z 0-9 - _";

/** True when `id` can name a namespace (and its stream `kv-<id>`). */
export function isNamespaceId(id: unknown): id is string {
  return typeof id === "string" && NAMESPACE_ID.test(id);
}

/** One descriptor per `kv_namespaces` entry; errors name the file, the key and the value. */
export function kvFromConfig(raw: Record<string, unknown>, file: string): BindingDescriptor[] {
  const entries = raw.kv_namespaces;
  if (entries === undefined) return [];
  const label = basename(file);
  const fail = (key: string, message: string, value: unknown): never => {
    throw new VergeError("config_invalid", `${label}: ${key} ${message}: received ${formatValue(value)}`);
  };
  if (!Array.isArray(entries)) return fail("kv_namespaces", "must be an array", entries);
  const seen = new Set<string>();
  return entries.map((entry: unknown, i) => {
    const at = `kv_namespaces[${i}]`;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return fail(at, "must be a table with binding and id", entry);
    const { binding, id } = entry as Record<string, unknown>;
    if (typeof binding !== "string" || !BINDING_NAME.test(binding)) return fail(`${at}.binding`, "must be a JavaScript identifier such as \"FLAGS\"", binding);
    if (seen.has(binding)) return fail(`${at}.binding`, "names a binding twice", binding);
    if (!isNamespaceId(id)) return fail(`${at}.id`, NAMESPACE_ID_RULE, id);
    seen.add(binding);
    const config: KvBindingConfig = { id };
    return { name: binding, kind: "kv", config };
  });
}
