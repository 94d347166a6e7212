/**
 * @module `rebuild`: a new owner fences the object's journal with its epoch,
 * restores the latest snapshot and replays the stream after it up to its
 * fence, ignoring records of lower epochs that follow a higher fence.
 */
import type { ObjectStorage } from "../storage/index.js";
import type { SubstrateView, WaitOptions } from "../../../substrate/types.js";
import { JournalError } from "./errors.js";
import { checkEpoch, checkKey, decodeEpoch, decodeFrame, decodeSnapshot, encodeEpoch, encodeFrame, JournalLimits, streamName } from "./frame.js";

/** Options of `rebuild`. */
export interface RebuildOptions extends WaitOptions {
  /** The object's key (as given to `ObjectJournal`). */
  key: string;
  /** The new owner's epoch, higher than every earlier owner's. */
  epoch: number;
  /** Restore the stored snapshot first (default true); false replays the whole stream. */
  snapshot?: boolean;
}

/** What a rebuild did. */
export interface RebuildResult {
  /** Stream sequence of this owner's fence: everything before it is in the storage. */
  fenceSeq: number;
  /** Stream sequence the restored snapshot covered (0: none restored). */
  snapshotSeq: number;
  /** Records applied, and records skipped as a deposed owner's (after a higher fence). */
  applied: number;
  ignored: number;
}

/**
 * Rebuilds `storage` (fresh, empty) from the object's snapshot and stream.
 *
 * @throws JournalError `fenced` when a higher epoch already fenced the journal, `frame_invalid`; StorageError from replay.
 * @example const { applied } = await rebuild(view, storage, { key: "do.chat-Room.4f…", epoch: 2 });
 */
export async function rebuild(view: SubstrateView, storage: ObjectStorage, options: RebuildOptions): Promise<RebuildResult> {
  const { key, epoch, signal } = options;
  checkKey(key);
  checkEpoch(epoch);
  const stream = streamName(key);
  await raiseFence(view, key, epoch, options);
  const fenceSeq = await view.append(stream, encodeFrame({ kind: "fence", epoch }), { signal });
  let from = 1;
  let level = 0;
  let snapshotSeq = 0;
  if (options.snapshot !== false) {
    const entry = await (await view.bucket(JournalLimits.SNAPSHOT_BUCKET, { signal })).get(key, { signal });
    if (entry) {
      const stored = decodeSnapshot(entry.value, key);
      storage.restore(stored.bytes);
      snapshotSeq = stored.streamSeq;
      from = snapshotSeq + 1;
      level = stored.epoch;
    }
  }
  let applied = 0;
  let ignored = 0;
  const records = await view.consume(stream, from, { signal });
  try {
    for await (const { seq, data } of records) {
      const frame = decodeFrame(data, seq);
      if (frame.kind === "fence") level = Math.max(level, frame.epoch);
      else if (frame.epoch < level) ignored++;
      else if (storage.apply(frame.record)) applied++;
      if (seq >= fenceSeq) break;
    }
  } finally {
    await records.close();
  }
  return { fenceSeq, snapshotSeq, applied, ignored };
}

/** Writes `epoch` as the object's fence unless a higher one is there (compare-and-set, so it never goes back). */
async function raiseFence(view: SubstrateView, key: string, epoch: number, options: WaitOptions): Promise<void> {
  const bucket = await view.bucket(JournalLimits.FENCE_BUCKET, options);
  for (;;) {
    const entry = await bucket.get(key, options);
    const current = decodeEpoch(entry?.value, key);
    if (current > epoch) throw new JournalError("fenced", `journal of ${JSON.stringify(key)} is fenced at epoch ${current}: cannot rebuild at epoch ${epoch}`);
    if (current === epoch) return;
    if ((await bucket.compareAndSet(key, encodeEpoch(epoch), entry?.revision ?? null, options)).ok) return;
  }
}
