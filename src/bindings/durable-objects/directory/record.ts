/**
 * @module A directory entry as stored in the bucket (JSON, versioned) and as
 * callers see it (`Ownership`). A release never deletes the entry: it writes a
 * record without an owner that keeps the epoch, so epochs never go back.
 */
import { DirectoryError } from "./errors.js";

/** What the bucket holds under an object's key. */
export interface DirectoryRecord {
  /** The owner PoP; null once released. */
  pop: string | null;
  /** The directory instance that holds (or last held) the object: a restarted PoP is a new holder. */
  holder: string;
  /** Increases on every change of holder; kept by renewals and releases. */
  epoch: number;
  /** Wall-clock ms (the writer's clock) after which the lease is over; 0 once released. */
  expiresAt: number;
  /** The lease the holder asked for, renewed with the same length. */
  leaseMs: number;
  /** The region the object prefers (its location hint), kept across owners; null without one. */
  region: string | null;
}

/** A key's entry as last known: `record` null when absent (revision 0: unknown). */
export interface Stored {
  revision: number;
  record: DirectoryRecord | null;
}

const VERSION = 1;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The bytes stored for `record`. */
export function encodeRecord(record: DirectoryRecord): Uint8Array {
  return encoder.encode(JSON.stringify({ v: VERSION, ...record }));
}

const isCount = (value: unknown): value is number => typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
const isText = (value: unknown): value is string => typeof value === "string" && value.length > 0;

/** The record stored under `key` at `revision`; throws `corrupt_entry` naming both. */
export function decodeRecord(bytes: Uint8Array, key: string, revision: number): DirectoryRecord {
  let value: Record<string, unknown> | null = null;
  try {
    const parsed: unknown = JSON.parse(decoder.decode(bytes));
    if (typeof parsed === "object" && parsed !== null) value = parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  if (
    value?.v === VERSION &&
    (value.pop === null || isText(value.pop)) &&
    isText(value.holder) &&
    isCount(value.epoch) &&
    value.epoch >= 1 &&
    isCount(value.expiresAt) &&
    isCount(value.leaseMs) &&
    (value.region === null || isText(value.region))
  ) {
    const { pop, holder, epoch, expiresAt, leaseMs, region } = value;
    return { pop, holder, epoch, expiresAt, leaseMs, region };
  }
  throw new DirectoryError("corrupt_entry", `Directory entry "${key}" at revision ${revision} is not a version ${VERSION} record: received ${JSON.stringify(decoder.decode(bytes.subarray(0, 200)))}`);
}

/**
 * Who owns an object, as one directory instance sees it when it answers.
 *
 * @example const owner = await directory.lookup(key); if (owner?.live && !owner.mine) forwardTo(owner.pop);
 */
export interface Ownership {
  /** The bucket key of the object (`do.<namespace>.<id>`). */
  readonly key: string;
  /** The owner PoP. */
  readonly pop: string;
  /** The owner's epoch: higher for every later owner. Stamp it on journal records to fence a deposed owner. */
  readonly epoch: number;
  /** Wall-clock ms at which the lease ends, by the owner's clock. */
  readonly expiresAt: number;
  /** The lease length the owner renews with. */
  readonly leaseMs: number;
  /** The object's preferred region, or null. */
  readonly preferredRegion: string | null;
  /** The bucket revision of the entry: what a renew or release compares against. */
  readonly revision: number;
  /** The directory instance that holds it (`Directory.holder`). */
  readonly holder: string;
  /** True when this directory instance is the holder. */
  readonly mine: boolean;
  /** True when, by this PoP's clock and the skew margin, the lease has not run out yet. */
  readonly live: boolean;
  /**
   * For an ownership of this instance: the `performance.now()` time until
   * which it may act as owner (the lease measured from before the write that
   * set it, on the monotonic clock). Null when not `mine`.
   */
  readonly validUntil: number | null;
}

/** The `lease_lost` error of `ownership`, naming who has the entry now (`now` null: it cannot be decoded). */
export function lostError(ownership: Ownership, now: Stored | null): DirectoryError {
  const record = now?.record;
  const who = now === null ? "its entry cannot be decoded" : record?.pop ? `PoP "${record.pop}" holds it at epoch ${record.epoch}` : "it was released";
  return new DirectoryError("lease_lost", `Lost "${ownership.key}" (PoP "${ownership.pop}", epoch ${ownership.epoch}): ${who}`);
}
