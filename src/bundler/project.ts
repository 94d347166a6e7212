/** @module The project root of a worker entry: where file names in bundle messages start from. */
import { existsSync } from "node:fs";
import path from "node:path";

const ROOT_MARKERS = ["package.json", "wrangler.toml", "wrangler.jsonc", "wrangler.json"];

/**
 * The nearest directory at or above the entry's own that holds a package.json
 * or a wrangler file; the entry's directory when there is none.
 *
 * @example
 * projectRoot("/app/src/index.ts"); // "/app" when /app/package.json exists
 */
export function projectRoot(entry: string): string {
  const start = path.dirname(entry);
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (ROOT_MARKERS.some((name) => existsSync(path.join(dir, name)))) return dir;
    if (path.dirname(dir) === dir) return start;
  }
}
