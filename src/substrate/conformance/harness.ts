/** @module What a backend gives the conformance suite, and a helper that always disposes of it. */
import type { Substrate } from "../types.js";

/**
 * Fault injection. Node names are PoP names or STORE_NODE. Across a partition,
 * pub/sub messages and requests are lost (requests time out) while bucket and
 * stream calls wait and complete after `heal()`, as a reconnecting client's do.
 * A backend whose faults take effect asynchronously (a TCP proxy between a PoP
 * and the server) answers a promise that resolves once they have: `partition`
 * once the PoP has noticed the cut, `heal` once it is connected again.
 */
export interface Faults {
  partition(a: string, b: string): void | Promise<void>;
  heal(): void | Promise<void>;
}

/** A backend under test, fresh for each test. */
export interface ConformanceBackend {
  /** The current substrate (a new one after `restart`). */
  readonly substrate: Substrate;
  /**
   * Stops the backend as abruptly as it can (no flush beyond what was
   * acknowledged) and starts it again on the same storage.
   */
  restart(): Promise<Substrate>;
  /** Present when the backend can inject faults; fault cases are skipped otherwise. */
  readonly faults?: Faults;
  /** Stops the backend and removes its storage. */
  close(): Promise<void>;
}

/** Makes a fresh backend. */
export type MakeBackend = () => Promise<ConformanceBackend>;

/** Runs `body` with a fresh backend, closing it whatever happens. */
export async function withBackend(make: MakeBackend, body: (backend: ConformanceBackend) => Promise<void>): Promise<void> {
  const backend = await make();
  try {
    await body(backend);
  } finally {
    await backend.close();
  }
}

/** The PoPs every case uses. */
export const POPS = ["tokyo", "frankfurt", "virginia"] as const;

/** Upper bound of any one conformance test. */
export const TEST_TIMEOUT_MS = 15_000;
