/**
 * @module Purge requests: by URL, URL prefix, tag or everything, optionally
 * for one worker's cache only. Validated where they enter (the CLI, a dev
 * PoP's control area) and carried as JSON on the substrate.
 */

export type Purge = ({ kind: "url"; urls: string[] } | { kind: "prefix"; prefixes: string[] } | { kind: "tag"; tags: string[] } | { kind: "everything" }) & {
  /** Only this worker's cache; absent: every worker's. */
  worker?: string;
};

/** Thrown for a purge request that cannot be carried out; the message names the bad value. */
export class PurgeInputError extends TypeError {}

export const MAX_PURGE_ITEMS = 100;
export const MAX_TAG_LENGTH = 1024;

/** `https://example.com/a/` → `example.com/a/`: prefixes and URLs compare without their scheme. */
export function withoutScheme(url: string): string {
  return url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "");
}

/** A cache tag as stored and compared: trimmed, lower-case (tags are case-insensitive). */
export function normalizeTag(tag: string): string {
  return tag.trim().toLowerCase();
}

/** Checks a tag from a worker, an origin's Cache-Tag header or a purge request. */
export function tagProblem(tag: unknown): string | null {
  if (typeof tag !== "string") return `a tag must be a string: received ${typeof tag}`;
  const trimmed = tag.trim();
  if (trimmed === "") return "a tag must not be empty";
  if (trimmed.length > MAX_TAG_LENGTH) return `a tag is at most ${MAX_TAG_LENGTH} characters: received ${trimmed.length}`;
  if (trimmed.includes(",")) return `a tag must not contain a comma: received ${JSON.stringify(tag)}`;
  return null;
}

function items(raw: Record<string, unknown>, field: string, check: (item: string) => string | null): string[] {
  const value = raw[field];
  if (!Array.isArray(value) || value.length === 0) throw new PurgeInputError(`purge: "${field}" must be a non-empty array: received ${JSON.stringify(value)}`);
  if (value.length > MAX_PURGE_ITEMS) throw new PurgeInputError(`purge: at most ${MAX_PURGE_ITEMS} ${field} per request: received ${value.length}`);
  return value.map((item) => {
    const problem = typeof item === "string" ? check(item) : `must be a string: received ${JSON.stringify(item)}`;
    if (problem !== null) throw new PurgeInputError(`purge: ${field}: ${problem}`);
    return item as string;
  });
}

const urlProblem = (url: string): string | null => {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? null : `not an http(s) URL: ${JSON.stringify(url)}`;
  } catch {
    return `not a URL: ${JSON.stringify(url)}`;
  }
};

const prefixProblem = (prefix: string): string | null => {
  const bare = withoutScheme(prefix);
  if (bare === "" || bare.startsWith("/")) return `a prefix starts with a host name, e.g. "example.com/products/": received ${JSON.stringify(prefix)}`;
  return null;
};

/** A purge from untrusted JSON: exactly one of urls, prefixes, tags, everything. */
export function parsePurge(raw: unknown): Purge {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new PurgeInputError(`purge: the request must be a JSON object: received ${JSON.stringify(raw)}`);
  const body = raw as Record<string, unknown>;
  const given = ["urls", "prefixes", "tags", "everything"].filter((field) => body[field] !== undefined);
  if (given.length !== 1) throw new PurgeInputError(`purge: give exactly one of urls, prefixes, tags, everything: received ${given.length === 0 ? "none" : given.join(", ")}`);
  const worker = body.worker;
  if (worker !== undefined && (typeof worker !== "string" || worker === "")) throw new PurgeInputError(`purge: "worker" must be a worker name: received ${JSON.stringify(worker)}`);
  const scope = worker === undefined ? {} : { worker };
  switch (given[0]) {
    case "urls":
      return { kind: "url", urls: items(body, "urls", urlProblem), ...scope };
    case "prefixes":
      return { kind: "prefix", prefixes: items(body, "prefixes", prefixProblem), ...scope };
    case "tags":
      return { kind: "tag", tags: items(body, "tags", tagProblem).map(normalizeTag), ...scope };
    default:
      if (body.everything !== true) throw new PurgeInputError(`purge: "everything" must be true: received ${JSON.stringify(body.everything)}`);
      return { kind: "everything", ...scope };
  }
}

/** The purge as the substrate carries it, with `id`: the broadcast and the log copy of one purge share it. */
export const encodePurge = (purge: Purge, id: string): Uint8Array => new TextEncoder().encode(JSON.stringify({ ...purge, id }));

/** A purge and its id read back from the substrate; null for a record that is not one (skipped, never fatal). */
export function decodePurge(data: Uint8Array): { purge: Purge; id: string } | null {
  try {
    const { id, kind, ...raw } = JSON.parse(new TextDecoder().decode(data)) as Record<string, unknown>;
    if (typeof id !== "string") return null;
    return { purge: parsePurge(kind === "everything" ? { everything: true, worker: raw.worker } : raw), id };
  } catch {
    return null;
  }
}
