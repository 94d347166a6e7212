/** @module SubtleCrypto: arguments are checked and copied here, the work is done by the host (op `crypto.subtle`); every method rejects on bad input, never throws. */
import { Op } from "../../bridge/protocol.js";
import type { SubtleMethod, WireKeyRef, WireSubtleResult } from "../../host-ops/crypto/wire.js";
import { opAsync } from "../core/bridge.js";
import { DOMException } from "../web/dom-exception.js";
import { normalizeAlgorithm } from "./algorithm.js";
import { toFormat, toKeyData, toUsages } from "./args.js";
import { toArrayBuffer, toBytes } from "./buffer.js";
import { CryptoKey, keyFromWire, keyIsExtractable, keyRef } from "./key.js";

const token = Symbol("SubtleCrypto");

/** The result of generateKey for asymmetric algorithms. */
export interface CryptoKeyPair {
  publicKey: CryptoKey;
  privateKey: CryptoKey;
}
type Result = ArrayBuffer | boolean | CryptoKey | CryptoKeyPair | JsonWebKey;

/** `crypto.subtle`. */
export class SubtleCrypto {
  constructor(key?: symbol) {
    if (key !== token) throw new TypeError("Illegal constructor: use crypto.subtle");
  }
  async digest(algorithm: unknown, data: unknown): Promise<ArrayBuffer> {
    arity("digest", 2, arguments.length);
    return (await call("digest", [normalizeAlgorithm("digest", algorithm, "algorithm"), toBytes(data, "data")])) as ArrayBuffer;
  }
  async encrypt(algorithm: unknown, key: unknown, data: unknown): Promise<ArrayBuffer> {
    arity("encrypt", 3, arguments.length);
    return (await call("encrypt", [normalizeAlgorithm("encrypt", algorithm, "algorithm"), keyRef(key, "key"), toBytes(data, "data")])) as ArrayBuffer;
  }
  async decrypt(algorithm: unknown, key: unknown, data: unknown): Promise<ArrayBuffer> {
    arity("decrypt", 3, arguments.length);
    return (await call("decrypt", [normalizeAlgorithm("decrypt", algorithm, "algorithm"), keyRef(key, "key"), toBytes(data, "data")])) as ArrayBuffer;
  }
  async sign(algorithm: unknown, key: unknown, data: unknown): Promise<ArrayBuffer> {
    arity("sign", 3, arguments.length);
    return (await call("sign", [normalizeAlgorithm("sign", algorithm, "algorithm"), keyRef(key, "key"), toBytes(data, "data")])) as ArrayBuffer;
  }
  async verify(algorithm: unknown, key: unknown, signature: unknown, data: unknown): Promise<boolean> {
    arity("verify", 4, arguments.length);
    const args = [normalizeAlgorithm("verify", algorithm, "algorithm"), keyRef(key, "key"), toBytes(signature, "signature"), toBytes(data, "data")];
    return (await call("verify", args)) as boolean;
  }
  async generateKey(algorithm: unknown, extractable: unknown, keyUsages: unknown): Promise<CryptoKey | CryptoKeyPair> {
    arity("generateKey", 3, arguments.length);
    const args = [normalizeAlgorithm("generateKey", algorithm, "algorithm"), Boolean(extractable), toUsages(keyUsages)];
    return (await call("generateKey", args)) as CryptoKey | CryptoKeyPair;
  }
  async deriveKey(algorithm: unknown, baseKey: unknown, derivedKeyType: unknown, extractable: unknown, keyUsages: unknown): Promise<CryptoKey> {
    arity("deriveKey", 5, arguments.length);
    const args = [
      normalizeAlgorithm("deriveBits", algorithm, "algorithm"), keyRef(baseKey, "baseKey"),
      normalizeAlgorithm("get key length", derivedKeyType, "derivedKeyType"), Boolean(extractable), toUsages(keyUsages),
    ];
    return (await call("deriveKey", args)) as CryptoKey;
  }
  async deriveBits(algorithm: unknown, baseKey: unknown, length: unknown = null): Promise<ArrayBuffer> {
    arity("deriveBits", 2, arguments.length);
    const bits = length === null || length === undefined ? null : Number(length);
    if (bits !== null && !Number.isFinite(bits)) throw new TypeError(`length must be a finite number or null: received ${String(length)}`);
    return (await call("deriveBits", [normalizeAlgorithm("deriveBits", algorithm, "algorithm"), keyRef(baseKey, "baseKey"), bits])) as ArrayBuffer;
  }
  async importKey(format: unknown, keyData: unknown, algorithm: unknown, extractable: unknown, keyUsages: unknown): Promise<CryptoKey> {
    arity("importKey", 5, arguments.length);
    const keyFormat = toFormat(format);
    const args = [keyFormat, toKeyData(keyFormat, keyData), normalizeAlgorithm("importKey", algorithm, "algorithm"), Boolean(extractable), toUsages(keyUsages)];
    return (await call("importKey", args)) as CryptoKey;
  }
  async exportKey(format: unknown, key: unknown): Promise<ArrayBuffer | JsonWebKey> {
    arity("exportKey", 2, arguments.length);
    const args = [toFormat(format), extractableKeyRef(key, "key")];
    return (await call("exportKey", args)) as ArrayBuffer | JsonWebKey;
  }
  async wrapKey(format: unknown, key: unknown, wrappingKey: unknown, wrapAlgorithm: unknown): Promise<ArrayBuffer> {
    arity("wrapKey", 4, arguments.length);
    const args = [toFormat(format), extractableKeyRef(key, "key"), keyRef(wrappingKey, "wrappingKey"), normalizeAlgorithm("wrapKey", wrapAlgorithm, "wrapAlgorithm")];
    return (await call("wrapKey", args)) as ArrayBuffer;
  }
  async unwrapKey(
    format: unknown, wrappedKey: unknown, unwrappingKey: unknown, unwrapAlgorithm: unknown,
    unwrappedKeyAlgorithm: unknown, extractable: unknown, keyUsages: unknown,
  ): Promise<CryptoKey> {
    arity("unwrapKey", 7, arguments.length);
    const args = [
      toFormat(format), toBytes(wrappedKey, "wrappedKey"), keyRef(unwrappingKey, "unwrappingKey"),
      normalizeAlgorithm("unwrapKey", unwrapAlgorithm, "unwrapAlgorithm"), normalizeAlgorithm("importKey", unwrappedKeyAlgorithm, "unwrappedKeyAlgorithm"),
      Boolean(extractable), toUsages(keyUsages),
    ];
    return (await call("unwrapKey", args)) as CryptoKey;
  }
  get [Symbol.toStringTag](): string {
    return "SubtleCrypto";
  }
}

/** The one SubtleCrypto of the isolate. */
export const subtle = new SubtleCrypto(token);

function arity(method: SubtleMethod, required: number, received: number): void {
  if (received < required) throw new TypeError(`SubtleCrypto.${method} requires ${required} arguments: received ${received}`);
}

/** `key` as the host takes it, for exportKey and wrapKey: InvalidAccessError when it is not extractable (the host checks again). */
function extractableKeyRef(key: unknown, what: string): WireKeyRef {
  const ref = keyRef(key, what);
  if (!keyIsExtractable(key as CryptoKey)) throw new DOMException("Key is not extractable", "InvalidAccessError");
  return ref;
}

async function call(method: SubtleMethod, args: unknown[]): Promise<Result> {
  let result: WireSubtleResult;
  try {
    result = await opAsync<WireSubtleResult>(Op.Subtle, method, args);
  } catch (error) {
    // The host's DOMException "SyntaxError" (e.g. empty usages) arrives as a JavaScript SyntaxError.
    if (error instanceof SyntaxError) throw new DOMException(error.message, "SyntaxError");
    throw error;
  }
  return fromWire(result);
}

function fromWire(result: WireSubtleResult): Result {
  switch (result.kind) {
    case "bytes":
      return toArrayBuffer(result.bytes);
    case "boolean":
      return result.value;
    case "key":
      return keyFromWire(result.key);
    case "pair":
      return { publicKey: keyFromWire(result.publicKey), privateKey: keyFromWire(result.privateKey) };
    case "jwk":
      return result.jwk;
  }
}
