/**
 * @module The key that encrypts secrets at rest: 32 bytes, written as 64 hex
 * digits or 44 base64 characters, read from a file or from
 * `VERGE_SECRETS_KEY`. `verge start` makes one in its data directory on first
 * start; PoPs of a cluster are given the same key.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { ControlError } from "../errors.js";

export const SECRETS_KEY_ENV = "VERGE_SECRETS_KEY";

/** Decodes key text; throws naming where it came from and what is wrong (never the key itself). */
export function parseSecretsKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, "hex") : /^[A-Za-z0-9+/]{43}=$/.test(trimmed) ? Buffer.from(trimmed, "base64") : null;
  if (!key || key.length !== 32) throw new ControlError("secrets_key", `The secrets key in ${source} is not 32 bytes as 64 hex digits or 44 base64 characters (it has ${trimmed.length} characters)`);
  return key;
}

/** The key from `file` when given, else from the environment variable; null when neither is set. */
export function loadSecretsKey(file: string | undefined, env: NodeJS.ProcessEnv = process.env): Buffer | null {
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (cause) {
      throw new ControlError("secrets_key", `The secrets key file ${file} cannot be read: ${(cause as Error).message}`, { cause });
    }
    return parseSecretsKey(text, file);
  }
  const value = env[SECRETS_KEY_ENV];
  return value === undefined ? null : parseSecretsKey(value, SECRETS_KEY_ENV);
}

/** Reads the key at `file`, making a new one there (mode 0600) when the file does not exist. */
export function loadOrCreateSecretsKey(file: string): Buffer {
  if (existsSync(file)) return loadSecretsKey(file)!;
  mkdirSync(dirname(file), { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString("hex")}\n`, { mode: 0o600, flag: "wx" });
  return key;
}
