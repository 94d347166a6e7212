/**
 * @module One PoP's view of the embedded substrate: store calls travel to the
 * store node and back over reliable links; messaging goes through the switchboard.
 */
import { trackedCall, type FailCall } from "../inflight.js";
import { SubstrateError } from "../errors.js";
import { checkName } from "../names.js";
import { PushSubscription } from "../queue.js";
import { STORE_NODE, type Bucket, type Closeable, type ConnectionStatus, type Message, type RequestHandler, type RequestOptions, type StreamRecord, type Subscription, type SubstrateView, type WaitOptions } from "../types.js";
import { EmbeddedBucket } from "./bucket-handle.js";
import type { Network } from "./network.js";
import type { Store } from "./store.js";
import type { Switchboard } from "./switchboard.js";

/** What a view shares with the other views of its substrate. */
export interface Shared {
  net: Network;
  store: Store;
  board: Switchboard;
}

/** The embedded SubstrateView of one PoP. */
export class EmbeddedView implements SubstrateView {
  private readonly inflight = new Set<FailCall>();
  private readonly handles = new Set<Closeable>();
  private closed = false;
  private readonly statusListeners = new Set<(status: ConnectionStatus) => void>();

  constructor(
    readonly pop: string,
    readonly region: string,
    private readonly shared: Shared,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  onConnectionChange(listener: (status: ConnectionStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Tells the listeners that the link to the store was cut or restored (the substrate calls it on partition and heal). */
  connectionChanged(status: ConnectionStatus): void {
    if (this.closed) return;
    for (const listener of [...this.statusListeners]) listener(status);
  }

  /** Runs `step` at the store: one one-way trip there, one back. Held, not lost, while the link is cut. */
  call<T>(step: (store: Store) => T | Promise<T>, options?: WaitOptions): Promise<T> {
    if (this.closed) return Promise.reject(this.closedError());
    const { net, store } = this.shared;
    return trackedCall<T>(this.inflight, options?.signal, (resolve, fail) => {
      net.send(this.pop, STORE_NODE, "reliable", () => {
        Promise.resolve()
          .then(() => step(store))
          .then(
            (value) => net.send(STORE_NODE, this.pop, "reliable", () => resolve(value)),
            (error: unknown) => net.send(STORE_NODE, this.pop, "reliable", () => fail(error)),
          );
      });
    });
  }

  /** Adds a subscription or service to what `close()` ends. */
  track<T extends Closeable>(handle: T): T {
    for (const old of this.handles) if (old instanceof PushSubscription && old.closed) this.handles.delete(old);
    this.handles.add(handle);
    return handle;
  }

  /** Sends `deliver` from the store to this PoP over the reliable link. */
  fromStore(deliver: () => void): void {
    this.shared.net.send(STORE_NODE, this.pop, "reliable", deliver);
  }

  async bucket(name: string, options?: WaitOptions): Promise<Bucket> {
    checkName("bucket", name);
    await this.call((store) => store.bucket(name).then(() => undefined), options);
    return new EmbeddedBucket(name, this);
  }

  async append(stream: string, data: Uint8Array, options?: WaitOptions): Promise<number> {
    checkName("stream", stream);
    const bytes = data.slice();
    return this.call(async (store) => (await store.stream(stream)).append(bytes), options);
  }

  async lastSequence(stream: string, options?: WaitOptions): Promise<number> {
    checkName("stream", stream);
    return this.call(async (store) => (await store.stream(stream)).lastSeq, options);
  }

  async consume(stream: string, fromSequence: number, options?: WaitOptions): Promise<Subscription<StreamRecord>> {
    checkName("stream", stream);
    if (!Number.isInteger(fromSequence) || fromSequence < 1) throw new RangeError(`Sequence must be an integer >= 1: received ${fromSequence}`);
    let stop = (): void => {};
    const sub = this.track(new PushSubscription<StreamRecord>(() => stop(), options?.signal));
    const send = (record: StreamRecord): void => this.fromStore(() => sub.push({ seq: record.seq, data: record.data.slice() }));
    await this.call(async (store) => {
      const log = await store.stream(stream);
      if (sub.closed) return;
      for (const record of log.read(fromSequence)) send(record);
      stop = log.listen((record) => record.seq >= fromSequence && send(record));
    }, options);
    return sub;
  }

  publish(subject: string, data: Uint8Array): void {
    if (this.closed) throw this.closedError();
    this.shared.board.publish(this.pop, subject, data);
  }

  async subscribe(subject: string, options?: WaitOptions): Promise<Subscription<Message>> {
    if (this.closed) throw this.closedError();
    return this.track(this.shared.board.subscribe(this.pop, subject, options?.signal));
  }

  async request(subject: string, data: Uint8Array, options: RequestOptions): Promise<Uint8Array> {
    if (this.closed) throw this.closedError();
    return this.shared.board.request(this.pop, subject, data, options, (reject) => {
      this.inflight.add(reject);
      return () => this.inflight.delete(reject);
    });
  }

  async serve(subject: string, handler: RequestHandler, options?: WaitOptions): Promise<Closeable> {
    if (this.closed) throw this.closedError();
    options?.signal?.throwIfAborted();
    return this.track(this.shared.board.serve(this.pop, subject, handler));
  }

  /** Rejects every pending call and ends every subscription with `closed`, stops every service. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = this.closedError();
    for (const fail of [...this.inflight]) fail(error);
    for (const handle of this.handles) {
      if (handle instanceof PushSubscription) handle.fail(error);
      else await handle.close();
    }
    this.handles.clear();
  }

  private closedError(): SubstrateError {
    return new SubstrateError("closed", `Substrate view of PoP "${this.pop}" is closed`);
  }
}
