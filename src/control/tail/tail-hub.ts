/**
 * @module The control plane's side of the live tail: one substrate
 * subscription per tailed worker, shared by every client tailing it, and the
 * interest renewal that makes PoPs publish that worker's records.
 */
import type { RequestLog } from "../../pop/server.js";
import type { Message, Subscription, SubstrateView } from "../../substrate/types.js";
import { readJsonMessage } from "../json-message.js";
import { TAIL_INTEREST_SUBJECT, TAIL_LOG_SUBJECT, type TailInterest } from "./tail-publisher.js";

const RENEW_MS = 2000;
const LEASE_MS = 6000;

type TailListener = (log: RequestLog) => void;

interface WorkerTail {
  listeners: Set<TailListener>;
  subscription: Promise<Subscription<Message>>;
}

export class TailHub {
  readonly #view: SubstrateView;
  readonly #tails = new Map<string, WorkerTail>();
  readonly #renew: NodeJS.Timeout;

  constructor(view: SubstrateView) {
    this.#view = view;
    this.#renew = setInterval(() => {
      for (const worker of this.#tails.keys()) this.#announce(worker);
    }, RENEW_MS);
    this.#renew.unref();
  }

  /** Calls `listener` with each record of `worker` from any PoP; resolves, once PoPs have been told, with a function that stops it. */
  async follow(worker: string, listener: TailListener): Promise<() => void> {
    let tail = this.#tails.get(worker);
    if (!tail) {
      const subscription = this.#view.subscribe(`${TAIL_LOG_SUBJECT}.${worker}`);
      tail = { listeners: new Set(), subscription };
      this.#tails.set(worker, tail);
      const listeners = tail.listeners;
      void subscription.then(async (messages) => {
        try {
          for await (const message of messages) {
            const log = readJsonMessage<RequestLog>(message, (value) => value.worker === worker && Array.isArray(value.logs));
            if (log) for (const each of listeners) each(log);
          }
        } catch {
          // Closed: the last client went away, or the control plane stopped.
        }
      });
    }
    tail.listeners.add(listener);
    await tail.subscription;
    this.#announce(worker);
    const current = tail;
    return () => {
      current.listeners.delete(listener);
      if (current.listeners.size === 0 && this.#tails.get(worker) === current) {
        this.#tails.delete(worker);
        void current.subscription.then((subscription) => subscription.close());
      }
    };
  }

  #announce(worker: string): void {
    const interest: TailInterest = { worker, leaseMs: LEASE_MS };
    this.#view.publish(TAIL_INTEREST_SUBJECT, new TextEncoder().encode(JSON.stringify(interest)));
  }

  async close(): Promise<void> {
    clearInterval(this.#renew);
    const tails = [...this.#tails.values()];
    this.#tails.clear();
    await Promise.all(tails.map(async (tail) => (await tail.subscription).close()));
  }
}
