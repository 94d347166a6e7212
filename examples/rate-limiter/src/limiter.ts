/**
 * @module The RateLimiter Durable Object: one per user (`idFromName(user)`),
 * living at one PoP, so every request of that user, at whichever PoP it
 * arrives, is decided here, one at a time. `take()` reads the window, decides
 * and writes it back with nothing but storage awaited in between, so
 * concurrent calls cannot both take the last slot: the object handles one
 * storage operation at a time (its input gate), and answers only once the
 * write is durable (its output gate).
 */
import { DurableObject } from "cloudflare:workers";
import type { Env } from "./env.js";
import { expiresAt, policyOf, prune, take, type Policy, type Verdict } from "./window.js";

const WINDOW_KEY = "admitted";

/** What `status()` answers: the window without taking from it. */
export interface Status extends Policy {
  /** Requests admitted in the last window. */
  admitted: number;
  remaining: number;
  /** When the object next cleans up (ms since the epoch), or null when it holds nothing. */
  alarm: number | null;
}

export class RateLimiter extends DurableObject<Env> {
  #policy(): Policy {
    return policyOf(this.env.RATE_LIMIT, this.env.RATE_WINDOW_SECONDS);
  }

  async #window(): Promise<number[]> {
    return (await this.ctx.storage.get<number[]>(WINDOW_KEY)) ?? [];
  }

  /** Admits one request now or refuses it. */
  async take(): Promise<Verdict> {
    const policy = this.#policy();
    const { verdict, admitted } = take(await this.#window(), policy, Date.now());
    if (verdict.allowed) {
      await this.ctx.storage.put(WINDOW_KEY, admitted);
      // The alarm empties the window of a user who stopped calling; one is enough.
      if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(expiresAt(admitted, policy)!);
    }
    return verdict;
  }

  /** The window as it stands, without taking from it. */
  async status(): Promise<Status> {
    const policy = this.#policy();
    const admitted = prune(await this.#window(), policy, Date.now()).length;
    return { ...policy, admitted, remaining: policy.limit - admitted, alarm: await this.ctx.storage.getAlarm() };
  }

  /** Drops the times that left the window; deletes the object's storage once none is left. */
  async alarm(): Promise<void> {
    const policy = this.#policy();
    const admitted = prune(await this.#window(), policy, Date.now());
    if (admitted.length === 0) {
      await this.ctx.storage.deleteAll();
      return;
    }
    await this.ctx.storage.put(WINDOW_KEY, admitted);
    await this.ctx.storage.setAlarm(expiresAt(admitted, policy)!);
  }
}
