/**
 * @module A PoP's side of the live tail: it publishes a worker's request
 * records (on `verge.tail.log.<worker>`) only while some control plane says
 * it is tailing that worker (on `verge.tail.interest`, renewed every 2 s), so
 * an untailed PoP pays nothing per request. Records reach here with secrets
 * already redacted by the PoP.
 */
import type { RequestLog } from "../../pop/server.js";
import type { Message, Subscription, SubstrateView } from "../../substrate/types.js";
import { readJsonMessage } from "../json-message.js";

export const TAIL_INTEREST_SUBJECT = "verge.tail.interest";
export const TAIL_LOG_SUBJECT = "verge.tail.log";

/** A control plane's interest: tail `worker` for `leaseMs` from now (by the PoP's own clock), unless renewed. */
export interface TailInterest {
  worker: string;
  leaseMs: number;
}

export async function publishTails(view: SubstrateView, onRequest: (listener: (log: RequestLog) => void) => () => void): Promise<() => Promise<void>> {
  const until = new Map<string, number>();
  const interest: Subscription<Message> = await view.subscribe(TAIL_INTEREST_SUBJECT);
  void (async () => {
    try {
      for await (const message of interest) {
        const interest = readJsonMessage<TailInterest>(message, (value) => typeof value.worker === "string" && typeof value.leaseMs === "number" && value.leaseMs > 0 && value.leaseMs <= 60_000);
        if (interest) until.set(interest.worker, Date.now() + interest.leaseMs);
      }
    } catch {
      // Closed with the PoP.
    }
  })();
  const encoder = new TextEncoder();
  const stop = onRequest((log) => {
    if (log.worker === null || until.size === 0) return;
    const deadline = until.get(log.worker);
    if (deadline === undefined) return;
    if (deadline < Date.now()) {
      until.delete(log.worker);
      return;
    }
    view.publish(`${TAIL_LOG_SUBJECT}.${log.worker}`, encoder.encode(JSON.stringify(log)));
  });
  return async () => {
    stop();
    await interest.close();
  };
}
