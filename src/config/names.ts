/** @module Worker names: the Cloudflare rule, and names derived from file and directory names. */
import path from "node:path";

/** Lower-case letters, digits and dashes, 1 to 63 characters, no dash at either end (a DNS label). */
export const WORKER_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** What WORKER_NAME_PATTERN means, for error messages. */
export const WORKER_NAME_RULE =
  "must be 1 to 63 lower-case letters, digits or dashes, not starting or ending with a dash";

/**
 * A valid worker name made from a file or directory path: the base name without
 * its extension, lower-cased, other characters turned into dashes.
 *
 * @example
 * workerNameFromPath("/src/My_Worker.ts", { stripExtension: true }); // "my-worker"
 */
export function workerNameFromPath(target: string, options: { stripExtension: boolean }): string {
  let base = path.basename(target);
  if (options.stripExtension) base = base.slice(0, base.length - path.extname(base).length);
  const slug = base
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63)
    .replace(/-+$/, "");
  return slug === "" ? "worker" : slug;
}
