/**
 * @module Zod issues turned into Deno-style messages that name the file, the
 * key path and the bad value: `wrangler.toml: limits.cpu_ms must be a positive integer: received -5`.
 */
import type { z } from "zod";
import { formatKeyPath, formatValue, isPlainObject, valueAt } from "./format.js";

type Issue = z.core.$ZodIssue;

/** For a union that failed on an object, the issues of the object branch, which point inside it. */
function objectBranch(issue: Issue, value: unknown): Issue[] | undefined {
  if (issue.code !== "invalid_union" || !isPlainObject(value)) return undefined;
  return issue.errors.find((branch) => branch.every((inner) => inner.path.length > 0 || inner.code !== "invalid_type"));
}

function describe(issue: Issue, raw: unknown, at: PropertyKey[], out: string[]): void {
  const keyPath = [...at, ...issue.path];
  const value = valueAt(raw, keyPath);
  const branch = objectBranch(issue, value);
  if (branch) {
    for (const inner of branch) describe(inner, raw, keyPath, out);
    return;
  }
  const key = keyPath.length === 0 ? "The configuration" : formatKeyPath(keyPath);
  if (value === undefined && issue.code === "invalid_type") out.push(`${key} is required`);
  else out.push(`${key} ${issue.message}: received ${formatValue(value)}`);
}

/**
 * One line per issue, each prefixed with the file label.
 *
 * @example
 * describeIssues("wrangler.toml", error.issues, raw);
 * // ["wrangler.toml: name must be a string: received 42"]
 */
export function describeIssues(label: string, issues: readonly Issue[], raw: unknown): string[] {
  const out: string[] = [];
  for (const issue of issues) describe(issue, raw, [], out);
  return [...new Set(out)].map((line) => `${label}: ${line}`);
}
