/** @module Header-list helpers for the cache: pairs `[name, value]`, names compared case-insensitively. */

export type HeaderPairs = readonly (readonly [string, string])[];

/** The values of header `name`, joined with ", " (null when absent). */
export function header(headers: HeaderPairs, name: string): string | null {
  let found: string | null = null;
  for (const [key, value] of headers) {
    if (key.toLowerCase() === name) found = found === null ? value : `${found}, ${value}`;
  }
  return found;
}

/** `headers` without the named ones (names lower-case). */
export function without(headers: HeaderPairs, names: ReadonlySet<string>): [string, string][] {
  return headers.filter(([key]) => !names.has(key.toLowerCase())).map(([key, value]) => [key, value]);
}

/** Comma-separated list items, trimmed, empty ones dropped. */
export function listItems(value: string | null): string[] {
  if (!value) return [];
  return value.split(",").map((item) => item.trim()).filter((item) => item !== "");
}
