/** @module What a target path is: a config file, a directory holding one, or a bare entry file. */
import { stat } from "node:fs/promises";
import path from "node:path";
import { VergeError } from "../errors.js";
import { workerNameFromPath } from "./names.js";
import { JSON_EXTENSIONS, TOML_EXTENSIONS } from "./parse.js";

/** Config file names looked for in a directory, most preferred first. */
export const CONFIG_FILE_NAMES = ["wrangler.jsonc", "wrangler.json", "wrangler.toml"] as const;
/** Entry files looked for in a directory without a config file, in order. */
export const DEFAULT_ENTRIES = ["src/index.ts", "src/index.js", "index.ts", "index.js"] as const;
/** Extensions of files taken as a worker entry rather than a config file. */
export const ENTRY_EXTENSIONS = [".js", ".mjs", ".ts", ".mts", ".jsx", ".tsx"] as const;

/** A located target: a config file to read, or an entry file with a derived name. */
export type Located =
  | { kind: "config"; configPath: string; warnings: string[] }
  | { kind: "entry"; main: string; name: string; warnings: string[] };

async function kindOf(file: string): Promise<"file" | "directory" | undefined> {
  try {
    const info = await stat(file);
    return info.isDirectory() ? "directory" : "file";
  } catch {
    return undefined;
  }
}

async function existing(dir: string, names: readonly string[]): Promise<string[]> {
  const kinds = await Promise.all(names.map((name) => kindOf(path.join(dir, name))));
  return names.filter((_, index) => kinds[index] === "file");
}

async function locateInDirectory(dir: string): Promise<Located> {
  const configs = await existing(dir, CONFIG_FILE_NAMES);
  if (configs.length > 0) {
    const [chosen, ...ignored] = configs;
    const warnings = ignored.length === 0 ? [] : [`Several config files in "${dir}": using ${chosen}, ignoring ${ignored.join(", ")}`];
    return { kind: "config", configPath: path.join(dir, chosen), warnings };
  }
  const [entry] = await existing(dir, DEFAULT_ENTRIES);
  if (entry === undefined) {
    const looked = [...CONFIG_FILE_NAMES, ...DEFAULT_ENTRIES].join(", ");
    throw new VergeError("config_not_found", `No config or entry file (${looked}) in directory: "${dir}"`);
  }
  return { kind: "entry", main: path.join(dir, entry), name: workerNameFromPath(dir, { stripExtension: false }), warnings: [] };
}

/**
 * Resolve `target` (a directory, a config file or an entry file) against the working directory.
 *
 * @example
 * await locate("examples/hello"); // { kind: "config", configPath: "/abs/examples/hello/wrangler.toml", warnings: [] }
 */
export async function locate(target: string): Promise<Located> {
  const absolute = path.resolve(target);
  const kind = await kindOf(absolute);
  if (kind === undefined) throw new VergeError("config_not_found", `Worker path does not exist: "${absolute}"`);
  if (kind === "directory") return locateInDirectory(absolute);
  const extension = path.extname(absolute).toLowerCase();
  if ([...TOML_EXTENSIONS, ...JSON_EXTENSIONS].includes(extension)) {
    return { kind: "config", configPath: absolute, warnings: [] };
  }
  if ((ENTRY_EXTENSIONS as readonly string[]).includes(extension)) {
    return { kind: "entry", main: absolute, name: workerNameFromPath(absolute, { stripExtension: true }), warnings: [] };
  }
  const expected = `a wrangler.toml, wrangler.jsonc or wrangler.json file, or a ${ENTRY_EXTENSIONS.join("/")} entry file`;
  throw new VergeError("config_invalid", `Worker path must be ${expected}: received "${absolute}"`);
}
