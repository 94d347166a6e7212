/** @module Reading wrangler.toml / wrangler.jsonc / wrangler.json into a plain object; syntax errors name file, line and column. */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { type ParseError, parse as parseJsonc, printParseErrorCode } from "jsonc-parser";
import { parse as parseToml, TomlError } from "smol-toml";
import { VergeError } from "../errors.js";
import { formatValue, isPlainObject } from "./format.js";

/** Extensions read as TOML; everything else a config may have (.json, .jsonc) is read as JSONC. */
export const TOML_EXTENSIONS = [".toml"];
/** Extensions of JSON config files; wrangler allows comments and trailing commas in both. */
export const JSON_EXTENSIONS = [".json", ".jsonc"];

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split("\n");
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

/** "PropertyNameExpected" → "property name expected". */
function words(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}

/** smol-toml builds tables without a prototype; give them the ordinary one, as JSON parsing does. */
function withPrototypes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withPrototypes);
  if (value === null || typeof value !== "object" || Object.getPrototypeOf(value) !== null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withPrototypes(inner)]));
}

function parseTomlText(label: string, text: string): unknown {
  try {
    return withPrototypes(parseToml(text));
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const detail = error.message.split("\n")[0].replace(/^Invalid TOML document: /, "");
    throw new VergeError("config_invalid", `${label}:${error.line}:${error.column}: TOML syntax error: ${detail}`, {
      cause: error,
    });
  }
}

function parseJsonText(label: string, text: string): unknown {
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first) {
    const where = lineAndColumn(text, first.offset);
    throw new VergeError("config_invalid", `${label}:${where}: JSON syntax error: ${words(printParseErrorCode(first.error))}`);
  }
  return value;
}

/**
 * The parsed top-level table of a config file.
 *
 * @example
 * await readConfigFile("/app/wrangler.toml"); // { name: "app", main: "src/index.ts" }
 */
export async function readConfigFile(configPath: string): Promise<Record<string, unknown>> {
  const label = path.basename(configPath);
  let text: string;
  try {
    text = await readFile(configPath, "utf8");
  } catch (error) {
    throw new VergeError("config_not_found", `Config file cannot be read: "${configPath}"`, { cause: error });
  }
  text = text.replace(/^\uFEFF/, "");
  const isToml = TOML_EXTENSIONS.includes(path.extname(configPath).toLowerCase());
  const value = isToml ? parseTomlText(label, text) : parseJsonText(label, text);
  if (!isPlainObject(value)) {
    throw new VergeError("config_invalid", `${label}: the configuration must be an object: received ${formatValue(value)}`);
  }
  return value;
}
