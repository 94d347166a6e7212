/**
 * @module What the journal stores: stream records (a storage record tagged
 * with its writer's epoch, or a fence) and snapshot values, as bytes, and
 * the names it stores them under.
 *
 * Stream record, little-endian: version u8 = 1, kind u8 (1 data, 2 fence),
 * epoch f64, then for data the storage record's bytes.
 * Snapshot value: version u8 = 1, stream sequence f64, epoch f64, then the
 * storage snapshot's bytes.
 */
import { createHash } from "node:crypto";
import { JournalError } from "./errors.js";

/** Names and sizes, written once. */
export const JournalLimits = {
  /** Bucket of the latest snapshot per object. */
  SNAPSHOT_BUCKET: "do-snapshots",
  /** Bucket of the highest fence epoch per object. */
  FENCE_BUCKET: "do-fences",
  /** NATS' default max_payload (1 MiB) less 1 KiB for the key and headers. */
  MAX_SNAPSHOT_VALUE_BYTES: 1024 * 1024 - 1024,
} as const;

const VERSION = 1;
const HEADER = 10;
const SNAPSHOT_HEADER = 17;
const KEY = /^[-/_=.A-Za-z0-9]{1,1024}$/;

/** A decoded stream record. */
export type Frame = { kind: "data"; epoch: number; record: Uint8Array } | { kind: "fence"; epoch: number };

/** A decoded snapshot value: the storage snapshot and the stream sequence and epoch it covers. */
export interface StoredSnapshot {
  streamSeq: number;
  epoch: number;
  bytes: Uint8Array;
}

/**
 * The stream of an object: `do-` and 40 hex digits of the SHA-256 of its key.
 *
 * @example streamName("do.chat-Room.4f…") // "do-1b2c…"
 */
export function streamName(key: string): string {
  checkKey(key);
  return `do-${createHash("sha256").update(key).digest("hex").slice(0, 40)}`;
}

/** @throws JournalError `invalid_option` for a key outside the substrate's key rules. */
export function checkKey(key: string): void {
  if (typeof key !== "string" || !KEY.test(key) || key.startsWith(".") || key.endsWith(".")) {
    throw new JournalError("invalid_option", `object key must be 1 to 1024 of A-Z a-z 0-9 - / _ = . not starting or ending with a dot: received ${JSON.stringify(key)}`);
  }
}

/** @throws JournalError `invalid_option` for an epoch that is not a positive safe integer. */
export function checkEpoch(epoch: number): void {
  if (!Number.isSafeInteger(epoch) || epoch < 1) throw new JournalError("invalid_option", `epoch must be a positive integer: received ${String(epoch)}`);
}

export function encodeFrame(frame: Frame): Uint8Array {
  const body = frame.kind === "data" ? frame.record : new Uint8Array(0);
  const out = new Uint8Array(HEADER + body.length);
  const view = new DataView(out.buffer);
  view.setUint8(0, VERSION);
  view.setUint8(1, frame.kind === "data" ? 1 : 2);
  view.setFloat64(2, frame.epoch, true);
  out.set(body, HEADER);
  return out;
}

/** @throws JournalError `frame_invalid`. */
export function decodeFrame(bytes: Uint8Array, seq: number): Frame {
  if (bytes.length < HEADER || bytes[0] !== VERSION) throw new JournalError("frame_invalid", `stream record ${seq} is not a journal frame of version ${VERSION}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const epoch = view.getFloat64(2, true);
  if (bytes[1] === 1) return { kind: "data", epoch, record: bytes.subarray(HEADER) };
  if (bytes[1] === 2) return { kind: "fence", epoch };
  throw new JournalError("frame_invalid", `stream record ${seq} has an unknown kind ${bytes[1]}`);
}

export function encodeSnapshot(snapshot: StoredSnapshot): Uint8Array {
  const out = new Uint8Array(SNAPSHOT_HEADER + snapshot.bytes.length);
  const view = new DataView(out.buffer);
  view.setUint8(0, VERSION);
  view.setFloat64(1, snapshot.streamSeq, true);
  view.setFloat64(9, snapshot.epoch, true);
  out.set(snapshot.bytes, SNAPSHOT_HEADER);
  return out;
}

/** @throws JournalError `frame_invalid`. */
export function decodeSnapshot(bytes: Uint8Array, key: string): StoredSnapshot {
  if (bytes.length < SNAPSHOT_HEADER || bytes[0] !== VERSION) throw new JournalError("frame_invalid", `snapshot of ${JSON.stringify(key)} is not of version ${VERSION}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { streamSeq: view.getFloat64(1, true), epoch: view.getFloat64(9, true), bytes: bytes.subarray(SNAPSHOT_HEADER) };
}

/**
 * The fence epoch stored in the fence bucket (0 when absent).
 *
 * @throws JournalError `frame_invalid`.
 */
export function decodeEpoch(value: Uint8Array | undefined, key: string): number {
  if (value === undefined) return 0;
  const epoch = Number(new TextDecoder().decode(value));
  if (!Number.isSafeInteger(epoch) || epoch < 1) throw new JournalError("frame_invalid", `fence of ${JSON.stringify(key)} is not an epoch`);
  return epoch;
}

export function encodeEpoch(epoch: number): Uint8Array {
  return new TextEncoder().encode(String(epoch));
}
