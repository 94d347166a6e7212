/**
 * @module `durable_objects.bindings` and `migrations` of a wrangler config
 * turned into Durable Object binding descriptors. Each bound class gets a
 * namespace id that stays the same across `renamed_classes`, so a rename
 * keeps the objects' storage, as in Workers.
 *
 * A bound class must be introduced by a migration (`new_classes` or
 * `new_sqlite_classes`). wrangler only warns when `migrations` is missing
 * altogether and leaves the refusal to Cloudflare's deploy; Verge has no later
 * step that could refuse, so it refuses at load.
 *
 * Tags are applied in the order written, as wrangler does. Beyond wrangler,
 * when every tag is one prefix followed by a number (`v1`, `v2`, …), the
 * numbers must increase: a reordered list would change which classes exist.
 */
import { createHash } from "node:crypto";
import { basename } from "node:path";
import { VergeError } from "../../errors.js";
import { formatValue, isPlainObject } from "../../config/format.js";
import type { BindingDescriptor } from "../types.js";

import type { DurableObjectBindingConfig } from "./wire.js";
export type { DurableObjectBindingConfig };

/** The rule of namespace ids, shared with the directory's keys. */
export const NamespaceIdLimits = { MAX_CHARS: 128, PATTERN: /^[-_=A-Za-z0-9]+$/ } as const;

const BINDING_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const CLASS_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const PLAIN_CLASS = /^[A-Za-z0-9_]+$/;

/**
 * The namespace id of a class of a worker: `<worker>-<class>` when that fits
 * the key rule, else `<worker>-=` and a hash. `generation` counts how often
 * the class's name was introduced; a class deleted and introduced again gets
 * `=2`, so it starts empty. Worker names never hold `_` or `=`, class names
 * never `-` or `=`, so distinct inputs give distinct ids.
 *
 * @example namespaceIdOf("chat", "ChatRoom"); // "chat-ChatRoom"
 */
export function namespaceIdOf(worker: string, className: string, generation = 1): string {
  const suffix = generation > 1 ? `=${generation}` : "";
  const plain = `${worker}-${className}${suffix}`;
  if (PLAIN_CLASS.test(className) && plain.length <= NamespaceIdLimits.MAX_CHARS) return plain;
  const hash = createHash("sha256").update(`${worker}\0${className}\0${generation}`).digest("base64url");
  return `${worker}-=${hash}`;
}

type Fail = (key: string, message: string, value: unknown) => never;

/** A class that exists after the migrations: the name it was introduced under, and which time. */
interface ClassOrigin {
  name: string;
  generation: number;
}

function stringList(entry: Record<string, unknown>, at: string, key: string, fail: Fail): string[] {
  const list = entry[key];
  if (list === undefined) return [];
  if (!Array.isArray(list)) return fail(`${at}.${key}`, "must be an array of class names", list);
  list.forEach((name: unknown, i) => {
    if (typeof name !== "string" || !CLASS_NAME.test(name)) fail(`${at}.${key}[${i}]`, "must be a class name such as \"ChatRoom\"", name);
  });
  return list as string[];
}

function checkTagOrder(tags: string[], fail: Fail): void {
  const numbered = tags.map((tag) => /^(.*?)(\d+)$/.exec(tag));
  if (tags.length < 2 || numbered.some((m) => m === null || m[1] !== numbered[0]?.[1])) return;
  for (let i = 1; i < tags.length; i++) {
    if (Number(numbered[i]?.[2]) <= Number(numbered[i - 1]?.[2])) fail(`migrations[${i}].tag`, `is out of order: it follows "${tags[i - 1]}"`, tags[i]);
  }
}

/** The classes that exist after the migrations, by current name, and where the others were deleted. */
interface Replayed {
  classes: Map<string, ClassOrigin>;
  deletedBy: Map<string, string>;
}

/** Replays `migrations` in order. */
function replayMigrations(raw: unknown, fail: Fail): Replayed {
  const classes = new Map<string, ClassOrigin>();
  const deletedBy = new Map<string, string>();
  if (raw === undefined) return { classes, deletedBy };
  if (!Array.isArray(raw)) return fail("migrations", "must be an array of tables with a tag", raw);
  const introduced = new Map<string, number>();
  const tags: string[] = [];
  raw.forEach((entry: unknown, i) => {
    const at = `migrations[${i}]`;
    if (!isPlainObject(entry)) return fail(at, "must be a table with a tag", entry);
    if (typeof entry.tag !== "string" || entry.tag === "") return fail(`${at}.tag`, "must be a non-empty string", entry.tag);
    if (tags.includes(entry.tag)) return fail(`${at}.tag`, "repeats an earlier tag", entry.tag);
    tags.push(entry.tag);
    if (entry.transferred_classes !== undefined) return fail(`${at}.transferred_classes`, "is not supported yet: classes cannot move between workers", entry.transferred_classes);
    for (const key of ["new_classes", "new_sqlite_classes"]) {
      stringList(entry, at, key, fail).forEach((name, j) => {
        if (classes.has(name)) fail(`${at}.${key}[${j}]`, "introduces a class that already exists", name);
        const generation = (introduced.get(name) ?? 0) + 1;
        introduced.set(name, generation);
        classes.set(name, { name, generation });
        deletedBy.delete(name);
      });
    }
    const renames = entry.renamed_classes ?? [];
    if (!Array.isArray(renames)) return fail(`${at}.renamed_classes`, "must be an array of { from, to } tables", renames);
    renames.forEach((rename: unknown, j) => {
      const key = `${at}.renamed_classes[${j}]`;
      if (!isPlainObject(rename)) return fail(key, "must be a table with from and to", rename);
      const { from, to } = rename;
      if (typeof from !== "string" || !CLASS_NAME.test(from)) return fail(`${key}.from`, "must be a class name such as \"ChatRoom\"", from);
      if (typeof to !== "string" || !CLASS_NAME.test(to)) return fail(`${key}.to`, "must be a class name such as \"ChatRoom\"", to);
      const origin = classes.get(from);
      if (!origin) return fail(`${key}.from`, "names a class that no earlier migration introduced", from);
      if (classes.has(to)) return fail(`${key}.to`, "names a class that already exists", to);
      classes.delete(from);
      classes.set(to, origin);
      deletedBy.delete(to);
    });
    stringList(entry, at, "deleted_classes", fail).forEach((name, j) => {
      if (!classes.delete(name)) fail(`${at}.deleted_classes[${j}]`, "names a class that no earlier migration introduced", name);
      deletedBy.set(name, `${at}.deleted_classes`);
    });
  });
  checkTagOrder(tags, fail);
  return { classes, deletedBy };
}

/**
 * One descriptor per `durable_objects.bindings` entry; errors are
 * `VergeError("config_invalid")` naming the file, the key and the value.
 *
 * @example
 * durableObjectsFromConfig({ name: "chat", durable_objects: { bindings: [{ name: "ROOMS", class_name: "ChatRoom" }] },
 *   migrations: [{ tag: "v1", new_sqlite_classes: ["ChatRoom"] }] }, "/w/wrangler.toml");
 * // [{ name: "ROOMS", kind: "durable_object", config: { className: "ChatRoom", namespaceId: "chat-ChatRoom" } }]
 */
export function durableObjectsFromConfig(raw: Record<string, unknown>, file: string): BindingDescriptor[] {
  const label = basename(file);
  const fail: Fail = (key, message, value) => {
    throw new VergeError("config_invalid", `${label}: ${key} ${message}: received ${formatValue(value)}`);
  };
  const section = raw.durable_objects;
  const { classes, deletedBy } = replayMigrations(raw.migrations, fail);
  if (section === undefined) return [];
  if (!isPlainObject(section)) return fail("durable_objects", "must be a table with bindings", section);
  const entries = section.bindings ?? [];
  if (!Array.isArray(entries)) return fail("durable_objects.bindings", "must be an array", entries);
  const worker = raw.name;
  if (typeof worker !== "string" || worker === "") return fail("name", "is required for Durable Object bindings", worker);
  const seen = new Set<string>();
  return entries.map((entry: unknown, i) => {
    const at = `durable_objects.bindings[${i}]`;
    if (!isPlainObject(entry)) return fail(at, "must be a table with name and class_name", entry);
    const { name, class_name: className, script_name: scriptName } = entry;
    if (typeof name !== "string" || !BINDING_NAME.test(name)) return fail(`${at}.name`, "must be a JavaScript identifier such as \"ROOMS\"", name);
    if (seen.has(name)) return fail(`${at}.name`, "names a binding twice", name);
    seen.add(name);
    if (typeof className !== "string" || !CLASS_NAME.test(className)) return fail(`${at}.class_name`, "must be a class name such as \"ChatRoom\"", className);
    if (scriptName !== undefined && scriptName !== worker) return fail(`${at}.script_name`, `names another worker than "${worker}"; bindings to another worker's classes are not supported yet`, scriptName);
    const origin = classes.get(className);
    const deleted = deletedBy.get(className);
    if (!origin && deleted) return fail(`${at}.class_name`, `names a class that ${deleted} deleted`, className);
    if (!origin) return fail(`${at}.class_name`, "names a class that no migration introduces (add it to new_sqlite_classes of a migration)", className);
    const config: DurableObjectBindingConfig = { className, namespaceId: namespaceIdOf(worker, origin.name, origin.generation) };
    return { name, kind: "durable_object", config };
  });
}
