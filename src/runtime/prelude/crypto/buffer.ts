/**
 * @module BufferSource checks for `crypto.subtle`: inputs are copied at call
 * time (later writes by tenant code do not change the operation), results are
 * fresh ArrayBuffers.
 */

/** A copy of the bytes of a BufferSource; TypeError naming `what` otherwise. */
export function toBytes(value: unknown, what: string): Uint8Array {
  if (value instanceof ArrayBuffer) return new Uint8Array(value.slice(0));
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength).slice();
  throw new TypeError(`${what} must be an ArrayBuffer or an ArrayBufferView: received ${describe(value)}`);
}

/** The bytes as an ArrayBuffer of exactly their length. */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes.buffer as ArrayBuffer;
  return bytes.slice().buffer;
}

/** A short description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return `string "${value.length > 32 ? `${value.slice(0, 32)}…` : value}"`;
  if (typeof value !== "object") return typeof value;
  try {
    const name: unknown = value.constructor?.name;
    return typeof name === "string" && name ? name : "object";
  } catch {
    return "object";
  }
}
