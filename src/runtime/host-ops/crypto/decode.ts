/** @module Validation of `crypto.subtle` arguments from the isolate, checked against each method's signature (tenant code can replace what the prelude uses); sealed keys are opened. WebCrypto's own checks are left to Node. */
import { OpArgumentError } from "../../ops.js";
import { fromSealed } from "./keys.js";
import { SUBTLE_METHODS, SubtleLimits, type SubtleMethod } from "./wire.js";

type ArgKind = "algorithm" | "key" | "bytes" | "boolean" | "usages" | "format" | "keyData" | "length";

/** Each method's arguments, in WebCrypto order. */
const SIGNATURES: Record<SubtleMethod, readonly ArgKind[]> = {
  encrypt: ["algorithm", "key", "bytes"],
  decrypt: ["algorithm", "key", "bytes"],
  sign: ["algorithm", "key", "bytes"],
  verify: ["algorithm", "key", "bytes", "bytes"],
  digest: ["algorithm", "bytes"],
  generateKey: ["algorithm", "boolean", "usages"],
  deriveKey: ["algorithm", "key", "algorithm", "boolean", "usages"],
  deriveBits: ["algorithm", "key", "length"],
  importKey: ["format", "keyData", "algorithm", "boolean", "usages"],
  exportKey: ["format", "key"],
  wrapKey: ["format", "key", "key", "algorithm"],
  unwrapKey: ["format", "bytes", "key", "algorithm", "algorithm", "boolean", "usages"],
};

const FORMATS = new Set(["raw", "spki", "pkcs8", "jwk"]);
const MAX_ARRAY = 64;

/** Thrown for a request the host refuses to run (becomes a NotSupportedError). */
export class SubtleLimitError extends Error {
  override name = "NotSupportedError";
}

/** Thrown for a key that cannot be used so (becomes an InvalidAccessError). */
export class KeyAccessError extends Error {
  override name = "InvalidAccessError";
}

export function expectMethod(value: unknown): SubtleMethod {
  if (typeof value !== "string" || !(SUBTLE_METHODS as readonly string[]).includes(value)) {
    throw new OpArgumentError(`Unknown SubtleCrypto method: "${String(value)}"`);
  }
  return value as SubtleMethod;
}

/** A sealed key from the isolate, opened once every argument has been checked. */
class SealedKey {
  constructor(readonly sealed: Uint8Array) {}
}

/** Checks and converts the arguments of `method`: the result goes to Node's `crypto.subtle[method]`. */
export async function decodeArgs(method: SubtleMethod, args: unknown): Promise<unknown[]> {
  const kinds = SIGNATURES[method];
  if (!Array.isArray(args) || args.length !== kinds.length) {
    throw new OpArgumentError(`crypto.subtle.${method} takes ${kinds.length} arguments: received ${Array.isArray(args) ? args.length : typeof args}`);
  }
  const checked = kinds.map((kind, index) => decodeArg(kind, args[index], `argument ${index + 1}`));
  checkLimits(method, checked[0]);
  const decoded = await Promise.all(checked.map(openKeys));
  checkExtractable(method, decoded[1]);
  return decoded;
}

function decodeArg(kind: ArgKind, value: unknown, what: string): unknown {
  switch (kind) {
    case "algorithm":
      return decodeAlgorithm(value, what);
    case "key":
      return expectKey(value, what);
    case "bytes":
      return expectBytes(value, what);
    case "boolean":
      if (typeof value !== "boolean") throw new OpArgumentError(`${what} must be a boolean: received ${typeof value}`);
      return value;
    case "usages":
      if (!Array.isArray(value) || value.length > MAX_ARRAY || !value.every((usage) => typeof usage === "string")) {
        throw new OpArgumentError(`${what} must be a list of key usages`);
      }
      return value;
    case "format":
      if (typeof value !== "string" || !FORMATS.has(value)) throw new OpArgumentError(`${what} must be a key format: received "${String(value)}"`);
      return value;
    case "keyData":
      return value instanceof Uint8Array ? value : plainData(value, what, 0);
    case "length":
      if (value !== null && (typeof value !== "number" || !Number.isFinite(value))) throw new OpArgumentError(`${what} must be a number or null`);
      return value;
  }
}

function expectBytes(value: unknown, what: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new OpArgumentError(`${what} must be a Uint8Array: received ${typeof value}`);
  return value;
}

/** A WireKeyRef: `{ sealed }`, of at most MAX_SEALED_BYTES. */
function expectKey(value: unknown, what: string): SealedKey {
  const sealed = isPlainObject(value) ? value.sealed : undefined;
  if (!(sealed instanceof Uint8Array) || sealed.length > SubtleLimits.MAX_SEALED_BYTES) throw new OpArgumentError(`${what} must be a CryptoKey`);
  return new SealedKey(sealed);
}

/** An algorithm dictionary: plain data, with `{ sealed }` members (ECDH `public`) as keys. */
function decodeAlgorithm(value: unknown, what: string): Record<string, unknown> {
  if (!isPlainObject(value) || typeof value.name !== "string") throw new OpArgumentError(`${what} must be an algorithm dictionary`);
  const algorithm: Record<string, unknown> = {};
  for (const [member, field] of Object.entries(value)) {
    algorithm[member] = isPlainObject(field) && field.sealed !== undefined ? expectKey(field, `${what}.${member}`) : plainData(field, `${what}.${member}`, 1);
  }
  return algorithm;
}

/** The argument with its sealed keys (itself or members of an algorithm) opened. */
async function openKeys(value: unknown): Promise<unknown> {
  if (value instanceof SealedKey) return fromSealed(value.sealed);
  if (!isPlainObject(value) || !Object.values(value).some((member) => member instanceof SealedKey)) return value;
  const opened: Record<string, unknown> = {};
  for (const [member, field] of Object.entries(value)) opened[member] = field instanceof SealedKey ? await fromSealed(field.sealed) : field;
  return opened;
}

/** Strings, numbers, booleans, null, bytes, and shallow arrays and objects of them (JWKs, `hash`). */
function plainData(value: unknown, what: string, depth: number): unknown {
  if (value === null || ["string", "number", "boolean"].includes(typeof value) || value instanceof Uint8Array) return value;
  if (depth < 3 && Array.isArray(value) && value.length <= MAX_ARRAY) return value.map((item) => plainData(item, what, depth + 1));
  if (depth < 3 && isPlainObject(value)) {
    const copy: Record<string, unknown> = {};
    for (const [member, field] of Object.entries(value)) copy[member] = plainData(field, `${what}.${member}`, depth + 1);
    return copy;
  }
  throw new OpArgumentError(`${what} must be plain data: received ${typeof value}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Refuses work that would hold the PoP's thread pool for long. */
function checkLimits(method: SubtleMethod, first: unknown): void {
  const algorithm = first as Record<string, unknown>;
  if ((method === "deriveBits" || method === "deriveKey") && algorithm.name === "PBKDF2") {
    const iterations = algorithm.iterations;
    if (typeof iterations === "number" && iterations > SubtleLimits.MAX_PBKDF2_ITERATIONS) {
      throw new SubtleLimitError(`PBKDF2 iteration counts above ${SubtleLimits.MAX_PBKDF2_ITERATIONS} are not supported: requested ${iterations}`);
    }
  }
  if (method === "generateKey" && typeof algorithm.modulusLength === "number" && algorithm.modulusLength > SubtleLimits.MAX_RSA_GENERATE_BITS) {
    throw new SubtleLimitError(`RSA keys longer than ${SubtleLimits.MAX_RSA_GENERATE_BITS} bits cannot be generated: requested ${algorithm.modulusLength}`);
  }
}

/** WebCrypto says InvalidAccessError for exporting or wrapping a non-extractable key; Node 20 says OperationError. */
function checkExtractable(method: SubtleMethod, key: unknown): void {
  if ((method === "exportKey" || method === "wrapKey") && (key as { extractable?: unknown }).extractable === false) {
    throw new KeyAccessError("Key is not extractable");
  }
}
