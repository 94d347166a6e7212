/**
 * @module Pub/sub and request/reply of the embedded backend: who listens on
 * which subject at which PoP, and delivery over the network's best-effort links.
 */
import { SubstrateError } from "../errors.js";
import { checkSubject, subjectMatches } from "../names.js";
import { PushSubscription } from "../queue.js";
import type { Closeable, Message, RequestHandler, RequestOptions } from "../types.js";
import type { Network } from "./network.js";

interface Service {
  pattern: string;
  pop: string;
  handler: RequestHandler;
  controller: AbortController;
}

/** Registers a pending call's rejecter with its view (so that closing the view rejects it); returns the unregister. */
export type Track = (reject: (error: unknown) => void) => () => void;

/** Interest in subjects across every PoP of one embedded substrate. Registration takes effect at once. */
export class Switchboard {
  private readonly subscribers = new Set<{ pattern: string; pop: string; sub: PushSubscription<Message> }>();
  private readonly services: Service[] = [];

  constructor(private readonly net: Network) {}

  /** Sends a copy of `data` to every subscriber matching `subject`, each after its link's delay. */
  publish(from: string, subject: string, data: Uint8Array): void {
    checkSubject(subject, false);
    const bytes = data.slice();
    for (const { pattern, pop, sub } of this.subscribers) {
      if (!subjectMatches(pattern, subject)) continue;
      this.net.send(from, pop, "best-effort", () => sub.push({ subject, data: bytes.slice(), from }));
    }
  }

  /** Subscribes PoP `pop` to `pattern`. */
  subscribe(pop: string, pattern: string, signal?: AbortSignal): PushSubscription<Message> {
    checkSubject(pattern, true);
    const entry = { pattern, pop, sub: undefined as unknown as PushSubscription<Message> };
    entry.sub = new PushSubscription<Message>(() => this.subscribers.delete(entry), signal);
    if (!entry.sub.closed) this.subscribers.add(entry);
    return entry.sub;
  }

  /** Serves `pattern` at PoP `pop`; the first registered matching service answers each request. */
  serve(pop: string, pattern: string, handler: RequestHandler): Closeable {
    checkSubject(pattern, true);
    const service: Service = { pattern, pop, handler, controller: new AbortController() };
    this.services.push(service);
    return {
      close: async () => {
        const index = this.services.indexOf(service);
        if (index >= 0) this.services.splice(index, 1);
        service.controller.abort(new SubstrateError("closed", `Service of "${pattern}" at ${pop} is closed`));
      },
    };
  }

  /** Sends a request from PoP `from` and waits for the reply (see SubstrateView.request). */
  request(from: string, subject: string, data: Uint8Array, options: RequestOptions, track: Track): Promise<Uint8Array> {
    checkSubject(subject, false);
    const { timeoutMs, signal } = options;
    if (!(timeoutMs > 0 && Number.isFinite(timeoutMs))) throw new RangeError(`Request timeout must be a positive number of ms: received ${timeoutMs}`);
    signal?.throwIfAborted();
    const service = this.services.find((candidate) => subjectMatches(candidate.pattern, subject));
    if (!service) return Promise.reject(new SubstrateError("no_responders", `No responders for request on "${subject}"`));
    const request: Message = { subject, data: data.slice(), from };
    return new Promise<Uint8Array>((resolve, reject) => {
      let settled = false;
      const finish = (settle: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        untrack();
        settle();
      };
      const onAbort = (): void => finish(() => reject(signal?.reason));
      const timer = setTimeout(() => finish(() => reject(new SubstrateError("request_timeout", `Request on "${subject}" timed out: no reply within ${timeoutMs} ms`))), timeoutMs);
      const untrack = track((error) => finish(() => reject(error)));
      signal?.addEventListener("abort", onAbort, { once: true });
      this.net.send(from, service.pop, "best-effort", () => {
        if (service.controller.signal.aborted) return; // the server went away: the requester times out
        const reply = (settle: () => void): void => this.net.send(service.pop, from, "best-effort", () => finish(settle));
        Promise.resolve()
          .then(() => service.handler(request, { signal: service.controller.signal }))
          .then(
            (bytes) => reply(() => resolve(bytes.slice())),
            (error: unknown) => reply(() => reject(new SubstrateError("handler_error", `Handler of "${subject}" at ${service.pop} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error }))),
          );
      });
    });
  }

  /** Ends every subscription with `error` and stops every service. */
  close(error: SubstrateError): void {
    for (const { sub } of this.subscribers) sub.fail(error);
    for (const service of this.services.splice(0)) service.controller.abort(error);
  }
}
