/**
 * @module Validation of bucket, stream, key and subject names, and subject
 * matching with NATS wildcards. Every backend accepts exactly the same names.
 */
import { SubstrateError } from "./errors.js";

/** Name limits, written once so that messages quote them. */
export const NameLimits = {
  MAX_NAME_CHARS: 64,
  MAX_KEY_CHARS: 1024,
} as const;

const NAME = /^[A-Za-z0-9_-]+$/;
const KEY = /^[-/_=.A-Za-z0-9]+$/;

/** Checks a bucket, stream or PoP name; throws `invalid_name`. */
export function checkName(kind: "bucket" | "stream" | "PoP", name: string): void {
  if (!NAME.test(name) || name.length > NameLimits.MAX_NAME_CHARS) {
    throw new SubstrateError("invalid_name", `Invalid ${kind} name: received "${name}"; expected 1 to ${NameLimits.MAX_NAME_CHARS} characters of A-Z a-z 0-9 - _`);
  }
}

/** Checks a bucket key; throws `invalid_name`. */
export function checkKey(key: string): void {
  if (!KEY.test(key) || key.length > NameLimits.MAX_KEY_CHARS || key.startsWith(".") || key.endsWith(".")) {
    throw new SubstrateError("invalid_name", `Invalid key: received "${key}"; expected 1 to ${NameLimits.MAX_KEY_CHARS} characters of A-Z a-z 0-9 - _ = / . not starting or ending with "."`);
  }
}

/** Checks a subject; wildcards (`*` a token, `>` the last token) only when `pattern`. Throws `invalid_name`. */
export function checkSubject(subject: string, pattern: boolean): void {
  const tokens = subject.split(".");
  const bad = tokens.some((token, i) => {
    if (token === "" || /[\s]/.test(token)) return true;
    if (token === "*" || token === ">") return !pattern || (token === ">" && i !== tokens.length - 1);
    return token.includes("*") || token.includes(">");
  });
  if (bad) {
    const wildcards = pattern ? ", wildcards * and a final >" : ", no wildcards";
    throw new SubstrateError("invalid_name", `Invalid subject: received "${subject}"; expected dot-separated non-empty tokens without spaces${wildcards}`);
  }
}

/**
 * True when `subject` matches `pattern` (NATS rules).
 *
 * @example subjectMatches("purge.*", "purge.tag") // true
 */
export function subjectMatches(pattern: string, subject: string): boolean {
  const want = pattern.split(".");
  const have = subject.split(".");
  for (let i = 0; i < want.length; i++) {
    if (want[i] === ">") return have.length > i;
    if (i >= have.length || (want[i] !== "*" && want[i] !== have[i])) return false;
  }
  return want.length === have.length;
}
