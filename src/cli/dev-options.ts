/** @module Parsing `verge dev`'s values: `--var KEY=VALUE`, `--origin <url|region>`, the PoP names. */
import { VergeError } from "../errors.js";
import { region } from "../regions/index.js";
import { popNames } from "./dev-network.js";

/** `--var KEY=VALUE` values as a record. */
export function parseVars(values: unknown): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const item of (values as string[] | undefined) ?? []) {
    const eq = item.indexOf("=");
    if (eq <= 0) throw new VergeError("usage", `--var must look like KEY=VALUE: received "${item}"`);
    vars[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return vars;
}

/** `--origin`: an http(s) URL (its origin), or a region where a simulated origin is started. */
export type OriginOption = { url: string } | { region: string } | undefined;

/**
 * @throws VergeError `usage` for a malformed URL, `unknown_region` for a name that is not a region.
 * @example originOption("virginia") // { region: "virginia" }
 */
export function originOption(value: unknown): OriginOption {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!text.includes(":")) return { region: region(text).name };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new VergeError("usage", `--origin must be an http(s) URL or a region: received "${text}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new VergeError("usage", `--origin must be an http(s) URL or a region: received "${text}"`);
  return { url: url.origin };
}

/** The PoP names: `--pops`, or the one PoP of `--name` (default "dev"). */
export function popsOption(pops: unknown, name: unknown): string[] {
  if (pops === undefined) return [(name as string | undefined) ?? "dev"];
  if (name !== undefined) throw new VergeError("usage", "--pops and --name cannot be used together: with --pops each PoP is named after its region");
  return popNames(String(pops));
}
