/** @module esbuild failures and oversize bundles turned into VergeErrors with Deno-style messages. */
import type { BuildFailure, Message } from "esbuild";
import { VergeError } from "../errors.js";
import { NODE_BUILTINS_PLUGIN } from "./builtins.js";

const KB = 1024;
const MB = 1024 * 1024;

/** True for the error esbuild's build() rejects with. */
export function isBuildFailure(error: unknown): error is BuildFailure {
  return error instanceof Error && Array.isArray((error as Partial<BuildFailure>).errors);
}

/** One esbuild message as `file:line:column: text` (column 1-based); built-in refusals as `file: text`. */
export function formatBuildMessage(message: Message): string {
  const location = message.location;
  if (!location) return message.text;
  if (message.pluginName === NODE_BUILTINS_PLUGIN) return `${location.file}: ${message.text}`;
  return `${location.file}:${location.line}:${location.column + 1}: ${message.text}`;
}

/**
 * A `bundle_failed` error listing every esbuild error, one per line.
 *
 * @example
 * bundleFailed(failure).message; // 'src/index.ts:3:9: Expected ";" but found "x"'
 */
export function bundleFailed(failure: BuildFailure): VergeError {
  const lines = failure.errors.map(formatBuildMessage);
  const message = lines.length > 0 ? lines.join("\n") : failure.message;
  return new VergeError("bundle_failed", message, { cause: failure });
}

/** Sizes as in the limit message: "11.0 MB" for a measured size, "10 MB" for a round limit. */
export function formatSize(bytes: number, options: { round: boolean }): string {
  if (bytes < KB) return `${bytes} bytes`;
  const [unit, scale] = bytes >= MB ? ["MB", MB] : ["KB", KB];
  const value = bytes / scale;
  return `${options.round && Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`;
}

/**
 * The `script_too_large` error for a bundle over its limit.
 *
 * @example
 * tooLarge(11 * 1024 * 1024, 10 * 1024 * 1024, "src/index.ts").message;
 * // "Worker bundle is 11.0 MB, over the 10 MB limit: src/index.ts"
 */
export function tooLarge(bytes: number, maxBytes: number, entry: string): VergeError {
  const size = formatSize(bytes, { round: false });
  const limit = formatSize(maxBytes, { round: true });
  return new VergeError("script_too_large", `Worker bundle is ${size}, over the ${limit} limit: ${entry}`);
}
