/**
 * @module Pub/sub and request/reply on core NATS subjects: `verge.msg.<subject>`
 * and `verge.rpc.<subject>`, the sending PoP in a `Verge-From` header; servers
 * share one queue group so that each request reaches one of them.
 */
import { Empty, headers, type Msg, type Subscription as NatsSubscription } from "@nats-io/transport-node";
import { SubstrateError } from "../errors.js";
import { checkSubject } from "../names.js";
import { PushSubscription } from "../queue.js";
import type { Closeable, Message, RequestHandler, RequestOptions, Subscription, WaitOptions } from "../types.js";
import type { Tracker } from "./bucket.js";
import type { PopConnection } from "./connection.js";
import { FROM_HEADER, mapError, mapRequestError, SERVICE_ERROR_CODE_HEADER, SERVICE_ERROR_HEADER } from "./errors.js";

const MSG = "verge.msg.";
const RPC = "verge.rpc.";
/** The queue group of every `serve`. */
export const SERVE_QUEUE = "verge-serve";

const toMessage = (prefix: string, msg: Msg): Message => ({
  subject: msg.subject.slice(prefix.length),
  data: msg.data.slice(),
  from: msg.headers?.get(FROM_HEADER) ?? "",
});

/** The messaging calls of one PoP's view. */
export class NatsMessaging {
  constructor(
    private readonly conn: PopConnection,
    private readonly tracker: Tracker,
  ) {}

  /**
   * See `SubstrateView.publish`: fire and forget, in call order; a failure is
   * dropped, and so is a message published while the connection is lost (no
   * subscriber is reachable; the client would drop it on reconnecting anyway).
   * Before the first connection it waits for it.
   */
  publish(subject: string, data: Uint8Array): void {
    checkSubject(subject, false);
    if (this.conn.isDown) return;
    const bytes = data.slice();
    const h = headers();
    h.set(FROM_HEADER, this.conn.pop);
    this.conn.run(async ({ nc }) => nc.publish(MSG + subject, bytes, { headers: h })).catch(() => undefined);
  }

  /** See `SubstrateView.subscribe`: resolves once the server has the interest. */
  async subscribe(subject: string, options?: WaitOptions): Promise<Subscription<Message>> {
    checkSubject(subject, true);
    let natsSub: NatsSubscription | undefined;
    const sub = this.tracker.track(new PushSubscription<Message>(() => natsSub?.unsubscribe(), options?.signal));
    await this.conn.run(async ({ nc }) => {
      if (sub.closed) return;
      natsSub = nc.subscribe(MSG + subject, { callback: (error, msg) => (error ? sub.fail(mapError(error, this.conn.pop)) : sub.push(toMessage(MSG, msg))) });
      await nc.flush();
    }, options?.signal).catch(async (error: unknown) => {
      await sub.close();
      throw error;
    });
    return sub;
  }

  /** See `SubstrateView.request`: the timeout counts from this call, connecting included. */
  async request(subject: string, data: Uint8Array, options: RequestOptions): Promise<Uint8Array> {
    checkSubject(subject, false);
    const bytes = data.slice();
    const deadline = performance.now() + options.timeoutMs;
    const h = headers();
    h.set(FROM_HEADER, this.conn.pop);
    // Waiting for the connection (or a reconnect) counts against the timeout too.
    const expiry = new AbortController();
    const timer = setTimeout(() => expiry.abort(new SubstrateError("request_timeout", `No reply on subject "${subject}" within ${options.timeoutMs} ms (not connected)`)), options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, expiry.signal]) : expiry.signal;
    try {
      return await this.conn.run(async ({ nc }) => {
        const remaining = Math.max(1, Math.round(deadline - performance.now()));
        const reply = await nc.request(RPC + subject, bytes, { timeout: remaining, headers: h }).catch((error: unknown) => {
          throw mapRequestError(error, this.conn.pop, subject, options.timeoutMs);
        });
        const failure = reply.headers?.get(SERVICE_ERROR_HEADER);
        if (failure) throw new SubstrateError("handler_error", failure);
        return reply.data.slice();
      }, signal);
    } finally {
      clearTimeout(timer);
    }
  }

  /** See `SubstrateView.serve`: a queue-group subscription; resolves once the server has it. */
  async serve(subject: string, handler: RequestHandler, options?: WaitOptions): Promise<Closeable> {
    checkSubject(subject, true);
    const controller = new AbortController();
    const respond = (msg: Msg): void => {
      const request = toMessage(RPC, msg);
      Promise.resolve()
        .then(() => handler(request, { signal: controller.signal }))
        .then(
          (reply) => {
            if (!controller.signal.aborted) msg.respond(reply.slice());
          },
          (error: unknown) => {
            if (controller.signal.aborted) return;
            const h = headers();
            const message = error instanceof Error ? error.message : String(error);
            h.set(SERVICE_ERROR_HEADER, `Handler of "${request.subject}" at ${this.conn.pop} failed: ${message}`.replace(/[\r\n]+/g, " "));
            h.set(SERVICE_ERROR_CODE_HEADER, "500");
            msg.respond(Empty, { headers: h });
          },
        )
        .catch(() => undefined);
    };
    let natsSub: NatsSubscription | undefined;
    const service = new PushSubscription<never>(() => {
      controller.abort(new SubstrateError("closed", `Service of "${subject}" at ${this.conn.pop} is closed`));
      natsSub?.unsubscribe();
    }, options?.signal);
    await this.conn.run(async ({ nc }) => {
      natsSub = nc.subscribe(RPC + subject, {
        queue: SERVE_QUEUE,
        callback: (error, msg) => {
          if (!error) respond(msg);
        },
      });
      await nc.flush();
    }, options?.signal).catch(async (error: unknown) => {
      await service.close();
      throw error;
    });
    if (service.closed) natsSub?.unsubscribe();
    return this.tracker.track(service);
  }
}
