/**
 * @module The on-disk framing of log records: `u32 length, payload, u32
 * FNV-1a of the payload`, little-endian. A torn or corrupt tail stops decoding.
 */

/** FNV-1a, 32 bits. Detects a torn write; not a cryptographic check. */
function fnv1a(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

/** One record framed for the file. */
export function encodeFrame(payload: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(payload.length + 8);
  frame.writeUInt32LE(payload.length, 0);
  frame.set(payload, 4);
  frame.writeUInt32LE(fnv1a(payload), payload.length + 4);
  return frame;
}

/** Every whole, intact record from the start of `file`, and how many bytes they take. */
export function decodeFrames(file: Buffer): { records: Uint8Array[]; validBytes: number } {
  const records: Uint8Array[] = [];
  let offset = 0;
  while (offset + 8 <= file.length) {
    const length = file.readUInt32LE(offset);
    if (offset + 8 + length > file.length) break;
    const payload = file.subarray(offset + 4, offset + 4 + length);
    if (file.readUInt32LE(offset + 4 + length) !== fnv1a(payload)) break;
    records.push(new Uint8Array(payload));
    offset += 8 + length;
  }
  return { records, validBytes: offset };
}
