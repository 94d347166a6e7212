/**
 * @module One PoP's view of the NATS substrate: its own connection, with
 * buckets, streams and messaging over it; closing it ends every feed with `closed`.
 */
import { StorageType } from "@nats-io/jetstream";
import { checkName } from "../names.js";
import { PushSubscription } from "../queue.js";
import type { Bucket, Closeable, ConnectionStatus, Message, RequestHandler, RequestOptions, StreamRecord, Subscription, SubstrateView, WaitOptions } from "../types.js";
import { NatsBucket, type Tracker } from "./bucket.js";
import { PopConnection, type ConnectionOptions } from "./connection.js";
import { closedError } from "./errors.js";
import { NatsMessaging } from "./messaging.js";
import { NatsStreams } from "./streams.js";

/** The NATS SubstrateView of one PoP. */
export class NatsView implements SubstrateView, Tracker {
  private readonly conn: PopConnection;
  private readonly feeds = new Set<{ readonly closed: boolean; fail(error: unknown): void }>();
  private readonly streams: NatsStreams;
  private readonly messaging: NatsMessaging;

  constructor(
    readonly pop: string,
    readonly region: string,
    options: ConnectionOptions,
  ) {
    this.conn = new PopConnection(pop, options);
    this.streams = new NatsStreams(this.conn, this);
    this.messaging = new NatsMessaging(this.conn, this);
    this.conn.onLost(() => {
      const error = closedError(pop);
      for (const feed of [...this.feeds]) feed.fail(error);
      this.feeds.clear();
    });
  }

  /** True once closed (or the connection is gone for good). */
  get isClosed(): boolean {
    return this.conn.isClosed;
  }

  /** Resolves once the connection is up (for callers that want to wait for it). */
  async connected(): Promise<void> {
    await this.conn.run(async () => undefined);
  }

  /** Calls `listener` when the connection is lost (calls wait) and when it is back; answers a function that stops it. */
  onConnectionChange(listener: (status: ConnectionStatus) => void): () => void {
    return this.conn.onStatus(listener);
  }

  /** Ends `sub` with `closed` when the view closes. */
  track<T>(sub: PushSubscription<T>): PushSubscription<T> {
    if (this.conn.isClosed) {
      sub.fail(closedError(this.pop));
      return sub;
    }
    for (const old of this.feeds) if (old.closed) this.feeds.delete(old);
    this.feeds.add(sub);
    return sub;
  }

  async bucket(name: string, options?: WaitOptions): Promise<Bucket> {
    checkName("bucket", name);
    const kv = await this.conn.run(async ({ kvm }) => {
      const create = () => kvm.create(name, { history: 1, storage: StorageType.File });
      try {
        return await create();
      } catch (error) {
        // Two PoPs creating one bucket at once: nats-server may refuse the second stream as overlapping the first, which now exists.
        if (!isCreationRace(error)) throw error;
        return create();
      }
    }, options?.signal);
    return new NatsBucket(name, kv, this.conn, this);
  }

  append(stream: string, data: Uint8Array, options?: WaitOptions): Promise<number> {
    return this.streams.append(stream, data, options);
  }

  lastSequence(stream: string, options?: WaitOptions): Promise<number> {
    return this.streams.lastSequence(stream, options);
  }

  consume(stream: string, fromSequence: number, options?: WaitOptions): Promise<Subscription<StreamRecord>> {
    return this.streams.consume(stream, fromSequence, options);
  }

  publish(subject: string, data: Uint8Array): void {
    if (this.conn.isClosed) throw closedError(this.pop);
    this.messaging.publish(subject, data);
  }

  subscribe(subject: string, options?: WaitOptions): Promise<Subscription<Message>> {
    return this.messaging.subscribe(subject, options);
  }

  request(subject: string, data: Uint8Array, options: RequestOptions): Promise<Uint8Array> {
    return this.messaging.request(subject, data, options);
  }

  serve(subject: string, handler: RequestHandler, options?: WaitOptions): Promise<Closeable> {
    return this.messaging.serve(subject, handler, options);
  }

  /** Rejects pending calls and ends every feed with `closed`, stops every service, closes the connection. */
  async close(): Promise<void> {
    await this.conn.close();
  }
}

/** JetStream's answers to a stream created twice at once: "subjects overlap" (10065), "stream name already in use" (10058). */
function isCreationRace(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 10065 || code === 10058 || code === "10065" || code === "10058";
}
