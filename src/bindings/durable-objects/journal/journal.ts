/**
 * @module `ObjectJournal`: the owner's side of an object's journal. Every
 * record its `ObjectStorage` commits is appended, in commit order and tagged
 * with the owner's epoch, to the object's substrate stream; `durable()` is
 * what the output gate waits on. Snapshots go to a bucket every N records or
 * bytes, so that a rebuild replays only what follows them.
 */
import type { JournalRecord, ObjectStorage } from "../storage/index.js";
import type { Bucket, SubstrateView } from "../../../substrate/types.js";
import { JournalError } from "./errors.js";
import { checkEpoch, checkKey, decodeEpoch, decodeSnapshot, encodeFrame, encodeSnapshot, JournalLimits, streamName } from "./frame.js";

/** Options of an `ObjectJournal`. */
export interface ObjectJournalOptions {
  /** The object's key, e.g. the directory key `do.<namespace>.<id>`. */
  key: string;
  /** The owner's epoch from the directory; the same one `rebuild` fenced with. */
  epoch: number;
  /**
   * True while this owner's directory lease certainly holds. No other owner
   * can have claimed the object, so none can have fenced it: `durable()`
   * then skips reading the fence (one round trip to the store per write).
   * Without it, every `durable()` with new records reads the fence.
   */
  leaseValid?: () => boolean;
  /** `maybeSnapshot` takes a snapshot after this many records (default 1000). */
  snapshotEveryRecords?: number;
  /** … or after this many record bytes (default 4 MiB). */
  snapshotEveryBytes?: number;
}

/** The outcome of a snapshot: stored, or skipped and why. */
export type SnapshotResult =
  | { stored: true; streamSeq: number; bytes: number }
  | { stored: false; reason: "too_large" | "newer_exists" | "nothing_new"; bytes: number };

/**
 * @example
 * const journal = new ObjectJournal(view, { key, epoch });
 * const storage = new ObjectStorage(":memory:", { onCommit: journal.onCommit });
 * await rebuild(view, storage, { key, epoch });
 * storage.put("count", bytes);
 * await journal.durable(); // now open the output gate
 */
export class ObjectJournal {
  readonly key: string;
  readonly epoch: number;
  readonly stream: string;
  readonly #view: SubstrateView;
  readonly #everyRecords: number;
  readonly #everyBytes: number;
  #chain: Promise<void> = Promise.resolve();
  /** Stream sequence of the last acknowledged append (0: none yet). */
  #acked = 0;
  /** Stream sequence up to which the fence was checked. */
  #checked = 0;
  #failure: JournalError | null = null;
  #sinceRecords = 0;
  #sinceBytes = 0;
  #snapshotted = 0;
  #closed = false;
  readonly #leaseValid: (() => boolean) | undefined;
  #fences: Promise<Bucket> | undefined;

  constructor(view: SubstrateView, options: ObjectJournalOptions) {
    checkKey(options.key);
    checkEpoch(options.epoch);
    this.#everyRecords = positive(options.snapshotEveryRecords ?? 1000, "snapshotEveryRecords");
    this.#everyBytes = positive(options.snapshotEveryBytes ?? 4 * 1024 * 1024, "snapshotEveryBytes");
    this.#view = view;
    this.key = options.key;
    this.epoch = options.epoch;
    this.stream = streamName(options.key);
    this.#leaseValid = options.leaseValid;
  }

  /**
   * The storage's commit hook: chains the append of `record` after every
   * earlier one. Throws (so the writer sees it) once the journal has failed,
   * been fenced or closed.
   */
  readonly onCommit = (record: JournalRecord): void => {
    if (this.#closed) throw new JournalError("closed", `journal of ${JSON.stringify(this.key)} is closed: record ${record.seq} was committed locally only`);
    if (this.#failure) throw this.#failure;
    const frame = encodeFrame({ kind: "data", epoch: this.epoch, record: record.bytes });
    this.#sinceRecords++;
    this.#sinceBytes += record.bytes.length;
    this.#chain = this.#chain
      .then(async () => {
        if (this.#failure) return;
        this.#acked = await this.#view.append(this.stream, frame);
      })
      .catch((cause: unknown) => {
        this.#failure ??= new JournalError("append_failed", `append of record ${record.seq} to ${this.stream} failed: ${(cause as Error).message}`, { cause });
      });
  };

  /**
   * Resolves once every record committed so far is acknowledged by the
   * stream and no fence of a higher epoch precedes it.
   *
   * @throws JournalError `append_failed`, `fenced` or `closed`.
   */
  async durable(): Promise<number> {
    await this.#chain;
    if (this.#failure) throw this.#failure;
    const upTo = this.#acked;
    if (upTo > this.#checked) {
      if (this.#leaseValid?.()) this.#checked = upTo;
      else await this.#checkFence(upTo);
    }
    return upTo;
  }

  /** Takes a snapshot when N records or bytes were committed since the last one; null when not due. */
  async maybeSnapshot(storage: ObjectStorage): Promise<SnapshotResult | null> {
    if (this.#sinceRecords < this.#everyRecords && this.#sinceBytes < this.#everyBytes) return null;
    return this.snapshot(storage);
  }

  /**
   * Stores a snapshot of `storage` with the stream sequence it covers, once
   * everything in it is durable. Skipped when over the bucket's value limit
   * (the NATS default max payload), or when a newer one is stored.
   *
   * @throws JournalError as `durable()`.
   */
  async snapshot(storage: ObjectStorage): Promise<SnapshotResult> {
    const bytes = storage.snapshot();
    const records = this.#sinceRecords;
    const recordBytes = this.#sinceBytes;
    const covered = this.#chain.then(() => this.#acked);
    const streamSeq = await covered;
    await this.durable();
    if (streamSeq <= this.#snapshotted) return { stored: false, reason: "nothing_new", bytes: bytes.length };
    this.#sinceRecords -= records;
    this.#sinceBytes -= recordBytes;
    const value = encodeSnapshot({ streamSeq, epoch: this.epoch, bytes });
    if (value.length > JournalLimits.MAX_SNAPSHOT_VALUE_BYTES) return { stored: false, reason: "too_large", bytes: value.length };
    const bucket = await this.#view.bucket(JournalLimits.SNAPSHOT_BUCKET);
    for (;;) {
      const current = await bucket.get(this.key);
      if (current && decodeSnapshot(current.value, this.key).streamSeq >= streamSeq) return { stored: false, reason: "newer_exists", bytes: value.length };
      const result = await bucket.compareAndSet(this.key, value, current?.revision ?? null);
      if (result.ok) {
        this.#snapshotted = streamSeq;
        return { stored: true, streamSeq, bytes: value.length };
      }
    }
  }

  /** Waits for the appends under way, then refuses further commits. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#chain;
    const fences = await this.#fences?.catch(() => undefined);
    await fences?.close();
  }

  async #checkFence(upTo: number): Promise<void> {
    // One handle for the journal's life: opening a bucket is a round trip to the store.
    this.#fences ??= this.#view.bucket(JournalLimits.FENCE_BUCKET);
    this.#fences.catch(() => (this.#fences = undefined));
    const bucket = await this.#fences;
    const fence = decodeEpoch((await bucket.get(this.key))?.value, this.key);
    if (fence > this.epoch) {
      this.#failure ??= new JournalError("fenced", `journal of ${JSON.stringify(this.key)} was fenced at epoch ${fence}: this owner's epoch is ${this.epoch}`);
      throw this.#failure;
    }
    this.#checked = Math.max(this.#checked, upTo);
  }
}

function positive(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new JournalError("invalid_option", `${name} must be a positive integer: received ${String(value)}`);
  return value;
}
