/** @module Warnings for keys Verge does not know, which are ignored rather than refused. */
import { formatKeyPath, isPlainObject } from "./format.js";
import { KnownKeys } from "./schema.js";

function extraKeys(value: unknown, known: readonly string[], at: PropertyKey[]): PropertyKey[][] {
  if (!isPlainObject(value)) return [];
  return Object.keys(value)
    .filter((key) => !known.includes(key))
    .map((key) => [...at, key]);
}

/**
 * One warning per unknown key, at the top level, in `limits` and in route objects.
 *
 * @example
 * unknownKeyWarnings("wrangler.toml", { name: "a", foo: 1 });
 * // ['wrangler.toml: unknown key "foo" is ignored']
 */
export function unknownKeyWarnings(label: string, raw: Record<string, unknown>): string[] {
  const paths = extraKeys(raw, KnownKeys.top, []);
  paths.push(...extraKeys(raw.limits, KnownKeys.limits, ["limits"]));
  paths.push(...extraKeys(raw.route, KnownKeys.route, ["route"]));
  if (Array.isArray(raw.routes)) {
    raw.routes.forEach((item, index) => paths.push(...extraKeys(item, KnownKeys.route, ["routes", index])));
  }
  return paths.map((keyPath) => `${label}: unknown key ${JSON.stringify(formatKeyPath(keyPath))} is ignored`);
}
