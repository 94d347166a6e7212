/**
 * @module crypto.getRandomValues and crypto.randomUUID, from the host's CSPRNG,
 * fetched in blocks so that most calls do not cross the bridge.
 */
import { Op } from "../../bridge/protocol.js";
import { opSync } from "../core/bridge.js";

const BLOCK = 4096;
const MAX_BYTES = 65536;
let pool: Uint8Array = new Uint8Array(0);
let offset = 0;

function take(n: number): Uint8Array {
  if (n > BLOCK) return opSync<Uint8Array>(Op.Random, n);
  if (offset + n > pool.length) {
    pool = opSync<Uint8Array>(Op.Random, BLOCK);
    offset = 0;
  }
  const out = pool.subarray(offset, offset + n);
  offset += n;
  return out;
}

const INTEGER_ARRAYS = ["Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array", "BigInt64Array", "BigUint64Array"];

export function getRandomValues<T extends ArrayBufferView | null>(array: T): T {
  if (!ArrayBuffer.isView(array) || !INTEGER_ARRAYS.includes(array.constructor.name)) {
    throw new DOMException("getRandomValues: the argument must be an integer TypedArray", "TypeMismatchError");
  }
  if (array.byteLength > MAX_BYTES) {
    throw new DOMException(`getRandomValues: the ArrayBufferView's byte length (${array.byteLength}) exceeds the number of bytes of entropy available via this API (${MAX_BYTES})`, "QuotaExceededError");
  }
  new Uint8Array(array.buffer, array.byteOffset, array.byteLength).set(take(array.byteLength));
  return array;
}

export function randomUUID(): string {
  const bytes = take(16).slice();
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
