/**
 * @module The limits of Workers KV, shared by the shim and the host ops
 * (pure code: no Node or DOM APIs). Each check returns the message of the
 * error to throw, naming the limit and the value, or null.
 */

export const MAX_KEY_BYTES = 512;
export const MAX_VALUE_BYTES = 25 * 1024 * 1024;
export const MAX_METADATA_BYTES = 1024;
export const MIN_TTL_SECONDS = 60;
export const MAX_LIST_LIMIT = 1000;
export const MAX_BULK_KEYS = 100;
export const MIN_CACHE_TTL_SECONDS = 30;

/** UTF-8 length of a string (lone surrogates count as U+FFFD, 3 bytes). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Why `key` is not a valid KV key, or null. */
export function keyProblem(key: unknown): string | null {
  if (typeof key !== "string") return `key must be a string: received ${typeof key}`;
  const bytes = utf8Length(key);
  if (bytes === 0) return "key must not be empty";
  if (bytes > MAX_KEY_BYTES) return `key is ${bytes} bytes (UTF-8), over the limit of ${MAX_KEY_BYTES}`;
  if (key === "." || key === "..") return `key must not be "." or "..": received "${key}"`;
  return null;
}

/** Why a value of `bytes` bytes is too large, or null. */
export function valueProblem(bytes: number): string | null {
  return bytes > MAX_VALUE_BYTES ? `value is ${bytes} bytes, over the limit of ${MAX_VALUE_BYTES} (25 MiB)` : null;
}

/** Why metadata serialized as `json` is too large, or null. */
export function metadataProblem(json: string): string | null {
  const bytes = utf8Length(json);
  return bytes > MAX_METADATA_BYTES ? `metadata is ${bytes} bytes as JSON, over the limit of ${MAX_METADATA_BYTES}` : null;
}
