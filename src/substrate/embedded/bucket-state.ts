/**
 * @module A bucket at the store: the latest change of every key over a durable
 * log whose sequence numbers are the revisions. Writes are serialized, so a
 * compare-and-set is checked and applied as one step.
 */
import type { BucketChange, BucketEntry, CasResult } from "../types.js";
import type { Log } from "./log.js";

const PUT = 1;
const DELETE = 2;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A change as a log record: `u8 op, u16 key length, key, value`. */
function encode(op: number, key: string, value: Uint8Array): Uint8Array {
  const keyBytes = encoder.encode(key);
  const record = new Uint8Array(3 + keyBytes.length + value.length);
  record[0] = op;
  new DataView(record.buffer).setUint16(1, keyBytes.length);
  record.set(keyBytes, 3);
  record.set(value, 3 + keyBytes.length);
  return record;
}

function decode(record: Uint8Array, revision: number): BucketChange {
  const keyLength = new DataView(record.buffer, record.byteOffset).getUint16(1);
  const key = decoder.decode(record.subarray(3, 3 + keyLength));
  if (record[0] === DELETE) return { op: "delete", key, revision };
  return { op: "put", key, value: record.subarray(3 + keyLength), revision };
}

/** Receives changes; returns nothing and must not throw. */
export type ChangeSink = (change: BucketChange) => void;

/** The state of one bucket at the store. */
export class BucketState {
  private readonly latest = new Map<string, BucketChange>();
  private readonly sinks = new Set<{ prefix: string; sink: ChangeSink }>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly log: Log) {
    for (const { seq, data } of log.read(1)) this.apply(decode(data, seq));
  }

  /** The current entry of `key`, or null. */
  get(key: string): BucketEntry | null {
    const change = this.latest.get(key);
    return change?.op === "put" ? { key, value: change.value, revision: change.revision } : null;
  }

  /** Writes `value` (owned by the bucket from now on); resolves with the revision once durable. */
  put(key: string, value: Uint8Array): Promise<number> {
    return this.serial(() => this.write(PUT, key, value));
  }

  /** Writes a deletion of `key`. */
  async delete(key: string): Promise<void> {
    await this.serial(() => this.write(DELETE, key, new Uint8Array(0)));
  }

  /** Writes `value` only when the key's current revision is `expected` (null: absent). */
  compareAndSet(key: string, value: Uint8Array, expected: number | null): Promise<CasResult> {
    return this.serial(async (): Promise<CasResult> => {
      const current = this.get(key)?.revision ?? null;
      if (current !== expected) return { ok: false, currentRevision: current };
      return { ok: true, revision: await this.write(PUT, key, value) };
    });
  }

  /**
   * Sends `sink` the backlog that `fromRevision` asks for (see WatchOptions)
   * and then every change under `prefix`; returns the unsubscribe.
   */
  watch(prefix: string, fromRevision: number | undefined, sink: ChangeSink): () => void {
    const backlog = [...this.latest.values()]
      .filter((change) => change.key.startsWith(prefix))
      .filter((change) => (fromRevision === undefined ? change.op === "put" : change.revision >= fromRevision))
      .sort((a, b) => a.revision - b.revision);
    for (const change of backlog) sink(change);
    const entry = { prefix, sink };
    this.sinks.add(entry);
    return () => this.sinks.delete(entry);
  }

  private async write(op: number, key: string, value: Uint8Array): Promise<number> {
    const revision = await this.log.append(encode(op, key, value));
    const change: BucketChange = op === PUT ? { op: "put", key, value, revision } : { op: "delete", key, revision };
    this.apply(change);
    for (const { prefix, sink } of this.sinks) if (key.startsWith(prefix)) sink(change);
    return revision;
  }

  private apply(change: BucketChange): void {
    this.latest.delete(change.key);
    this.latest.set(change.key, change);
  }

  private serial<T>(step: () => Promise<T>): Promise<T> {
    const run = this.queue.then(step);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
