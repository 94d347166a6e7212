/**
 * @module Argument parsing shared by commands: node:util's parseArgs with
 * errors that name the bad flag or value.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { VergeError } from "../errors.js";

export type Options = NonNullable<ParseArgsConfig["options"]>;

export function parse(argv: string[], options: Options): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true, allowNegative: true });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (error) {
    throw new VergeError("usage", error instanceof Error ? error.message.replace(/\. To specify.*$/s, "") : String(error));
  }
}

export function portOption(value: string | boolean | undefined, fallback: number, flag = "--port"): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new VergeError("usage", `${flag} must be a port number from 0 to 65535: received "${String(value)}"`);
  return port;
}
