/**
 * @module The document's limits and the check of a client's Yjs update,
 * without I/O: an update is applied to a scratch Y.Doc first, so that one
 * that cannot be decoded never touches the document.
 */
import * as Y from "yjs";

/** The example's limits; error messages quote them. */
export const DocLimits = {
  /** One update from a client, in bytes. */
  MAX_UPDATE_BYTES: 256 * 1024,
  /**
   * The stored document, in bytes (its compacted state plus the updates since).
   * A joining editor gets the whole state in one message, and a message
   * between PoPs must fit the substrate's 1 MiB, so the state stays well below.
   */
  MAX_DOC_BYTES: 512 * 1024,
  /** Updates stored one by one before they are compacted into the state. */
  COMPACT_AFTER_UPDATES: 100,
  /** Bytes of updates stored one by one before they are compacted into the state. */
  COMPACT_AFTER_BYTES: 128 * 1024,
  /** The state is stored in chunks of this size: a stored value may be 128 KiB at most. */
  CHUNK_BYTES: 64 * 1024,
} as const;

/** Close codes the document uses: application codes (3000 to 4999), which no library gives a meaning of its own. */
export const CloseCodes = {
  /** The client sent something that is not a Yjs update. */
  BAD_UPDATE: 4400,
  /** The update, or the document it would make, is over a limit. */
  TOO_LARGE: 4413,
} as const;

/** Why an update is refused, and the close code that goes with it. */
export interface Refusal {
  error: string;
  code: (typeof CloseCodes)[keyof typeof CloseCodes];
}

/**
 * Why `update` is not a Yjs update this document takes, or null when it is.
 * Decoding happens on a scratch doc, so a malformed update (truncated,
 * random bytes) throws there and not in the document.
 * @example checkUpdate(new Uint8Array([1, 2, 3]))?.error // "Not a Yjs update (Unexpected end of array): received 3 bytes"
 */
export function checkUpdate(update: Uint8Array): Refusal | null {
  if (update.byteLength > DocLimits.MAX_UPDATE_BYTES) {
    return { error: `An update may be ${DocLimits.MAX_UPDATE_BYTES} bytes at most: received ${update.byteLength} bytes`, code: CloseCodes.TOO_LARGE };
  }
  try {
    Y.applyUpdate(new Y.Doc(), update);
  } catch (caught) {
    const reason = caught instanceof Error ? caught.message : String(caught);
    return { error: `Not a Yjs update (${reason}): received ${update.byteLength} bytes`, code: CloseCodes.BAD_UPDATE };
  }
  return null;
}

/**
 * `bytes` cut into chunks of at most `size` bytes (none for no bytes).
 * @example chunk(new Uint8Array(5), 2).map((c) => c.length) // [2, 2, 1]
 */
export function chunk(bytes: Uint8Array, size: number = DocLimits.CHUNK_BYTES): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.byteLength; at += size) chunks.push(bytes.slice(at, at + size));
  return chunks;
}

/** The chunks of `chunk`, joined again. */
export function join(chunks: Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(chunks.reduce((sum, c) => sum + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return bytes;
}
