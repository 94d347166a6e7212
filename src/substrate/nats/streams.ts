/**
 * @module Substrate streams over JetStream streams (file storage, one subject
 * each): append is a publish acknowledged by the server, retried with the same
 * message id so that a retry is never stored twice; consume is an ordered consumer.
 */
import { DeliverPolicy, DiscardPolicy, RetentionPolicy, StorageType, type ConsumerMessages } from "@nats-io/jetstream";
import { nuid, RequestError, TimeoutError } from "@nats-io/transport-node";
import { checkName } from "../names.js";
import { PushSubscription } from "../queue.js";
import type { StreamRecord, Subscription, WaitOptions } from "../types.js";
import type { Tracker } from "./bucket.js";
import type { Clients, PopConnection } from "./connection.js";
import { closedError, mapError } from "./errors.js";

/** The JetStream stream holding substrate stream `name`. */
export const jetStreamName = (name: string): string => `VERGE_${name}`;
/** The subject records of substrate stream `name` are published on. */
export const streamSubject = (name: string): string => `verge.stream.${name}`;

/** How long an append keeps retrying a lost acknowledgement (well inside JetStream's 2 min duplicate window). */
const APPEND_RETRY_MS = 60_000;

/** True for failures worth retrying with the same message id: no ack in time, or JetStream not answering yet. */
function retryable(error: unknown): boolean {
  const cause = error instanceof Error ? error.cause : undefined;
  return error instanceof TimeoutError || cause instanceof TimeoutError || (cause instanceof RequestError && cause.isNoResponders());
}

/** The stream calls of one PoP's view. */
export class NatsStreams {
  private readonly ensured = new Map<string, Promise<void>>();

  constructor(
    private readonly conn: PopConnection,
    private readonly tracker: Tracker,
  ) {}

  /** See `SubstrateView.append`. */
  async append(stream: string, data: Uint8Array, options?: WaitOptions): Promise<number> {
    checkName("stream", stream);
    const bytes = data.slice();
    const msgID = nuid.next();
    const signal = options?.signal;
    return this.conn.run(async (clients) => {
      await this.ensure(clients, stream);
      const deadline = Date.now() + APPEND_RETRY_MS;
      for (let attempt = 0; ; attempt++) {
        try {
          return (await clients.js.publish(streamSubject(stream), bytes, { msgID })).seq;
        } catch (error) {
          if (!retryable(error) || Date.now() > deadline || this.conn.isClosed || signal?.aborted) throw error;
          await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
        }
      }
    }, signal);
  }

  /** See `SubstrateView.lastSequence`. */
  async lastSequence(stream: string, options?: WaitOptions): Promise<number> {
    checkName("stream", stream);
    return this.conn.run(async (clients) => {
      await this.ensure(clients, stream);
      return (await clients.jsm.streams.info(jetStreamName(stream))).state.last_seq;
    }, options?.signal);
  }

  /**
   * See `SubstrateView.consume`. An ordered consumer, replaced by a new one of
   * ours from the next sequence whenever the client recreates it (the server
   * lost it: a restart, or a cut longer than its inactivity threshold). The
   * client's own recreation (nats.js 3.4) keeps the old pull's pending count,
   * pulls a batch of one and then stalls until two heartbeats are missed (30 s).
   */
  async consume(stream: string, fromSequence: number, options?: WaitOptions): Promise<Subscription<StreamRecord>> {
    checkName("stream", stream);
    if (!Number.isInteger(fromSequence) || fromSequence < 1) throw new RangeError(`Sequence must be an integer >= 1: received ${fromSequence}`);
    let current: ConsumerMessages | undefined;
    const sub = this.tracker.track(new PushSubscription<StreamRecord>(() => current?.stop(), options?.signal));
    const open = (from: number): Promise<ConsumerMessages> =>
      this.conn.run(async (clients) => {
        await this.ensure(clients, stream);
        const consumer = await clients.js.consumers.get(jetStreamName(stream), { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: from });
        const messages = await consumer.consume();
        current = messages;
        if (sub.closed) messages.stop();
        return messages;
      }, options?.signal);
    try {
      void this.pump(sub, stream, fromSequence, await open(fromSequence), open);
    } catch (error) {
      await sub.close();
      throw error;
    }
    return sub;
  }

  /** Pushes records from `next` on, from `messages` and from each replacement `open` makes. */
  private async pump(sub: PushSubscription<StreamRecord>, stream: string, next: number, messages: ConsumerMessages, open: (from: number) => Promise<ConsumerMessages>): Promise<void> {
    try {
      for (;;) {
        let recreated = false;
        void this.onRecreated(messages, stream, () => {
          recreated = true;
          messages.stop();
        });
        for await (const message of messages) {
          if (sub.closed) return;
          if (message.seq < next) continue; // Already pushed by the consumer this one replaces.
          next = message.seq + 1;
          sub.push({ seq: message.seq, data: message.data.slice() });
        }
        if (!recreated || sub.closed) break;
        messages = await open(next);
      }
      sub.fail(closedError(this.conn.pop));
    } catch (error) {
      sub.fail(mapError(error, this.conn.pop));
    }
  }

  /** Calls `replace` once the client has recreated `messages`' consumer, after deleting the one it made. */
  private async onRecreated(messages: ConsumerMessages, stream: string, replace: () => void): Promise<void> {
    for await (const status of messages.status()) {
      if (status.type !== "ordered_consumer_recreated") continue;
      replace();
      await this.conn.run(({ jsm }) => jsm.consumers.delete(jetStreamName(stream), status.name)).catch(() => undefined);
      return;
    }
  }

  /** Creates the JetStream stream once per view (adding an identical stream again is a no-op on the server). */
  private ensure(clients: Clients, stream: string): Promise<void> {
    let ready = this.ensured.get(stream);
    if (!ready) {
      const name = jetStreamName(stream);
      ready = clients.jsm.streams
        .add({ name, subjects: [streamSubject(stream)], storage: StorageType.File, retention: RetentionPolicy.Limits, discard: DiscardPolicy.Old, num_replicas: 1 })
        .then(
          () => undefined,
          // Made elsewhere with other settings: use it as it is, if it exists.
          (error: unknown) => clients.jsm.streams.info(name).then(() => undefined, () => Promise.reject(error)),
        );
      this.ensured.set(stream, ready);
      ready.catch(() => this.ensured.delete(stream));
    }
    return ready;
  }
}
