/**
 * @module The store node of the embedded backend: every bucket and stream,
 * opened on first use, in memory or under a directory (one log file each).
 */
import path from "node:path";
import { SubstrateError } from "../errors.js";
import { BucketState } from "./bucket-state.js";
import { Log } from "./log.js";

/** Buckets and streams by name. Names are checked by the caller. */
export class Store {
  private readonly logs = new Map<string, Promise<Log>>();
  private readonly buckets = new Map<string, Promise<BucketState>>();
  private closed = false;

  /** `dir`: where logs live (`streams/<name>.log`, `buckets/<name>.log`); none keeps them in memory. */
  constructor(private readonly dir: string | undefined) {}

  /** The stream called `name`. */
  stream(name: string): Promise<Log> {
    return this.open(`streams/${name}`);
  }

  /** The bucket called `name`. */
  bucket(name: string): Promise<BucketState> {
    let bucket = this.buckets.get(name);
    if (!bucket) this.buckets.set(name, (bucket = this.open(`buckets/${name}`).then((log) => new BucketState(log))));
    return bucket;
  }

  /** Waits for appends in progress and closes every file. */
  async close(): Promise<void> {
    this.closed = true;
    const logs = await Promise.allSettled([...this.logs.values()]);
    await Promise.all(logs.map(async (log) => (log.status === "fulfilled" ? log.value.close() : undefined)));
  }

  private open(name: string): Promise<Log> {
    if (this.closed) return Promise.reject(new SubstrateError("closed", "Substrate is closed"));
    let log = this.logs.get(name);
    if (!log) this.logs.set(name, (log = Log.open(this.dir === undefined ? undefined : path.join(this.dir, `${name}.log`))));
    return log;
  }
}
