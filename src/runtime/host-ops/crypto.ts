/** @module The `crypto.subtle` op: WebCrypto done by Node's `crypto.subtle` for an isolate, which holds its keys sealed (see crypto/keys.ts). */
import { webcrypto } from "node:crypto";
import { Op, type WireError } from "../bridge/protocol.js";
import { OpArgumentError, requireInvocation, type OpTable } from "../ops.js";
import { decodeArgs, expectMethod } from "./crypto/decode.js";
import { toWireKey } from "./crypto/keys.js";
import type { SubtleMethod, WireSubtleResult } from "./crypto/wire.js";

type HostKey = webcrypto.CryptoKey;
type Subtle = Record<SubtleMethod, (...args: unknown[]) => Promise<unknown>>;

const subtle = webcrypto.subtle as unknown as Subtle;
const HostCryptoKey = (globalThis as unknown as { CryptoKey: new () => HostKey }).CryptoKey;

/** Ops of `crypto.subtle`; merge into the runtime's op table. */
export const cryptoOps: OpTable = {
  [Op.Subtle](context, [method, args]) {
    const invocation = requireInvocation(context, "crypto.subtle");
    if (context.opId === 0) throw new OpArgumentError("crypto.subtle is asynchronous");
    const run = async (): Promise<WireSubtleResult> => {
      const name = expectMethod(method);
      const decoded = await decodeArgs(name, args);
      return encodeResult(await subtle[name].apply(webcrypto.subtle, decoded));
    };
    run().then(
      (result) => {
        if (!invocation.ended) invocation.settle(context.opId, true, result);
      },
      (error: unknown) => {
        const wire = toWireError(error);
        invocation.rejectWith(context.opId, wire.name, wire.message);
      },
    );
  },
};

function encodeResult(result: unknown): WireSubtleResult {
  if (result instanceof ArrayBuffer) return { kind: "bytes", bytes: new Uint8Array(result) };
  if (typeof result === "boolean") return { kind: "boolean", value: result };
  if (result instanceof HostCryptoKey) return { kind: "key", key: toWireKey(result) };
  const record = result as Record<string, unknown>;
  if (record.publicKey instanceof HostCryptoKey && record.privateKey instanceof HostCryptoKey) {
    return { kind: "pair", publicKey: toWireKey(record.publicKey), privateKey: toWireKey(record.privateKey) };
  }
  return { kind: "jwk", jwk: { ...record } };
}

/** Keeps WebCrypto's error names (DOMException names survive the bridge); anything else is an OperationError. */
function toWireError(error: unknown): WireError {
  if (!(error instanceof Error)) return { name: "OperationError", message: String(error) };
  const name = error instanceof TypeError ? "TypeError" : error instanceof RangeError ? "RangeError" : error.name;
  const known = name === "TypeError" || name === "RangeError" || (name.endsWith("Error") && name !== "Error");
  return { name: known ? name : "OperationError", message: error.message };
}
