/**
 * @module Cache-Control parsing (RFC 9111 §5.2): directive names are
 * case-insensitive, values are tokens or quoted strings, and a repeated
 * directive keeps its first value.
 */

/** Directives by lower-case name; a directive without a value is `true`. */
export type Directives = ReadonlyMap<string, string | true>;

const DIRECTIVE = /\s*([^=,\s]+)\s*(?:=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*)))?\s*(?:,|$)/y;

export function parseCacheControl(value: string | null | undefined): Directives {
  const directives = new Map<string, string | true>();
  if (!value) return directives;
  DIRECTIVE.lastIndex = 0;
  while (DIRECTIVE.lastIndex < value.length) {
    const start = DIRECTIVE.lastIndex;
    const match = DIRECTIVE.exec(value);
    if (!match) {
      // Skip an unparsable piece up to the next comma, as caches do.
      const comma = value.indexOf(",", start);
      if (comma === -1) break;
      DIRECTIVE.lastIndex = comma + 1;
      continue;
    }
    const name = match[1].toLowerCase();
    const quoted = match[2]?.replace(/\\(.)/g, "$1");
    if (!directives.has(name)) directives.set(name, quoted ?? match[3] ?? true);
  }
  return directives;
}

/** A directive's value as whole seconds (delta-seconds), or undefined when absent or malformed. */
export function seconds(directives: Directives, name: string): number | undefined {
  const value = directives.get(name);
  if (typeof value !== "string" || !/^\d+$/.test(value)) return undefined;
  return Math.min(Number(value), 2 ** 31);
}
