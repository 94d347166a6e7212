/** @module The bindings of the rate-limiter worker. */
import type { RateLimiter } from "./limiter.js";

/** The part of a Durable Object id this worker uses. */
export type DurableObjectId = object;

/** The part of the Durable Object namespace binding this worker uses. */
export interface DurableObjectNamespace<Stub> {
  idFromName(name: string): DurableObjectId;
  get(id: DurableObjectId): Stub;
}

/** A stub of a RateLimiter: its RPC methods, each answering a promise. */
export type RateLimiterStub = Pick<RateLimiter, "take" | "status">;

export interface Env {
  /** `durable_objects.bindings`: one RateLimiter per user (`idFromName`). */
  LIMITERS: DurableObjectNamespace<RateLimiterStub>;
  /** Requests admitted per user in any window: 1 to 1000. */
  RATE_LIMIT?: string;
  /** The window in seconds: 1 to 86400. */
  RATE_WINDOW_SECONDS?: string;
}

/** A Request as a worker receives it: with `cf`. */
export type EdgeRequest = Request & { cf?: { colo?: string } };
