/**
 * @module A durable append-only log: records in memory and, with a file, framed
 * on disk and fsynced before an append is acknowledged (group commit).
 */
import fs from "node:fs/promises";
import path from "node:path";
import { SubstrateError } from "../errors.js";
import type { StreamRecord } from "../types.js";
import { decodeFrames, encodeFrame } from "./frame.js";

interface Pending {
  data: Uint8Array;
  resolve: (seq: number) => void;
  reject: (error: unknown) => void;
}

/**
 * An ordered log of records numbered from 1. A record becomes visible (to
 * `read` and listeners) and its append resolves only once it is durable.
 *
 * @example const log = await Log.open("/var/verge/streams/kv.log"); await log.append(bytes) // 1
 */
export class Log {
  private readonly records: Uint8Array[] = [];
  private readonly pending: Pending[] = [];
  private readonly listeners = new Set<(record: StreamRecord) => void>();
  private flushing = false;
  private flushed: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(private readonly handle: fs.FileHandle | undefined) {}

  /** Opens a log; with `file`, replays it first, cutting a torn last record. */
  static async open(file?: string): Promise<Log> {
    if (file === undefined) return new Log(undefined);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const existing = await fs.readFile(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw error;
    });
    const { records, validBytes } = existing ? decodeFrames(existing) : { records: [], validBytes: 0 };
    if (existing && validBytes < existing.length) await fs.truncate(file, validBytes);
    const log = new Log(await fs.open(file, "a"));
    if (!existing) await syncDirectory(path.dirname(file));
    log.records.push(...records);
    return log;
  }

  /** The sequence number of the last durable record (0 when empty). */
  get lastSeq(): number {
    return this.records.length;
  }

  /** Durable records from `fromSeq` on. */
  read(fromSeq: number): StreamRecord[] {
    const start = Math.max(1, fromSeq);
    return this.records.slice(start - 1).map((data, i) => ({ seq: start + i, data }));
  }

  /** Calls `listener` with every record made durable from now on; returns the unsubscribe. */
  listen(listener: (record: StreamRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Appends `data` (kept as given: copy before if the caller may reuse it); resolves with its seq once durable. */
  append(data: Uint8Array): Promise<number> {
    if (this.closed) return Promise.reject(new SubstrateError("closed", "Log is closed"));
    return new Promise((resolve, reject) => {
      this.pending.push({ data, resolve, reject });
      if (!this.flushing) this.flushed = this.flush();
    });
  }

  /** Waits for appends in progress, then closes the file. Later appends reject with `closed`. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flushed;
    this.listeners.clear();
    await this.handle?.close();
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0);
        try {
          if (this.handle) {
            await this.handle.write(Buffer.concat(batch.map((entry) => encodeFrame(entry.data))));
            await this.handle.datasync();
          }
        } catch (error) {
          // The file's tail is unknown now: refuse everything from here on.
          this.closed = true;
          for (const entry of [...batch, ...this.pending.splice(0)]) entry.reject(error);
          return;
        }
        for (const entry of batch) {
          this.records.push(entry.data);
          const record = { seq: this.records.length, data: entry.data };
          entry.resolve(record.seq);
          for (const listener of this.listeners) listener(record);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}

/** fsync a directory so that a file just created in it survives a crash. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await fs.open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
