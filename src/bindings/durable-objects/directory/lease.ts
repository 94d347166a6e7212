/**
 * @module The lease keeper: renews an ownership every `renewEveryMs` and
 * reports its loss, once, through `onLost` and `signal`, when a renew finds
 * another holder, when the watch shows another holder or a release, or when
 * the lease runs out on this PoP's monotonic clock before a renew succeeded
 * (a PoP cut off from the store waits on its renews; it must stop acting as
 * owner by then, because another PoP may take over soon after).
 */
import type { WaitOptions } from "../../../substrate/types.js";
import { DirectoryError } from "./errors.js";
import { checkOption } from "./keys.js";
import { lostError, type Ownership, type Stored } from "./record.js";

/** Options of `Directory.keep`. */
export interface KeepOptions {
  /** Time between renewals; default a third of the lease. Must be shorter than the lease. */
  renewEveryMs?: number;
  /** Called once when ownership is lost, with a `lease_lost` error naming why. */
  onLost?: (error: DirectoryError) => void;
}

/** What a keeper needs from its directory. */
export interface LeaseHost {
  readonly holder: string;
  renew(ownership: Ownership, options?: WaitOptions): Promise<Ownership>;
  release(ownership: Ownership, options?: WaitOptions): Promise<boolean>;
  onEntryChange(key: string, listener: (stored: Stored | null) => void): () => void;
}

/**
 * Keeps one ownership. `signal` aborts when the keeper ends: with a
 * `lease_lost` error when ownership was lost, with `closed` after `stop`,
 * `release` or the directory's close.
 *
 * @example const lease = directory.keep(owner, { onLost: (e) => instance.abort(e) }); … await lease.release();
 */
export class Lease {
  private ownership: Ownership;
  private deadline: number;
  private readonly controller = new AbortController();
  private readonly interval: NodeJS.Timeout;
  private expiry: NodeJS.Timeout | undefined;
  private readonly unwatch: () => void;
  private renewing: Promise<void> | undefined;
  private lastError: unknown;

  constructor(
    private readonly host: LeaseHost,
    ownership: Ownership,
    private readonly options: KeepOptions,
    private readonly onEnd: () => void,
  ) {
    const every = checkOption("Renew interval", options.renewEveryMs ?? Math.max(1, Math.floor(ownership.leaseMs / 3)), 1, ownership.leaseMs - 1);
    this.ownership = ownership;
    this.deadline = ownership.validUntil ?? 0;
    this.unwatch = host.onEntryChange(ownership.key, (stored) => this.observe(stored));
    this.interval = setInterval(() => this.tick(), every);
    this.armExpiry();
  }

  /** The ownership as of the last successful renew. */
  get current(): Ownership {
    return this.ownership;
  }

  /** Aborted when the keeper ends; the reason says why. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The `performance.now()` time until which this PoP may act as owner. */
  get validUntil(): number {
    return this.deadline;
  }

  /** True while not ended and the lease has not run out on this PoP's monotonic clock. */
  get isValid(): boolean {
    return !this.controller.signal.aborted && performance.now() < this.deadline;
  }

  /** Stops renewing; the lease runs out by itself. */
  stop(): void {
    this.end(new DirectoryError("closed", `Keeper of "${this.ownership.key}" was stopped`));
  }

  /** Stops renewing and releases the object (after a renew in flight); false when it was no longer held. */
  async release(): Promise<boolean> {
    const wasLost = this.controller.signal.aborted && (this.controller.signal.reason as DirectoryError)?.code === "lease_lost";
    this.stop();
    await this.renewing;
    return wasLost ? false : this.host.release(this.ownership);
  }

  /** Ends the keeper with `reason` (the directory calls it on close). Ending twice is harmless. */
  end(reason: DirectoryError): void {
    if (this.controller.signal.aborted) return;
    clearInterval(this.interval);
    clearTimeout(this.expiry);
    this.unwatch();
    this.onEnd();
    this.controller.abort(reason);
  }

  private lose(error: DirectoryError): void {
    if (this.controller.signal.aborted) return;
    this.end(error);
    try {
      this.options.onLost?.(error);
    } catch {
      // a listener's failure is its own
    }
  }

  private tick(): void {
    if (this.renewing || this.controller.signal.aborted) return;
    this.renewing = this.renewOnce().finally(() => (this.renewing = undefined));
  }

  private async renewOnce(): Promise<void> {
    let renewed: Ownership;
    try {
      renewed = await this.host.renew(this.ownership);
    } catch (error) {
      if (error instanceof DirectoryError && (error.code === "lease_lost" || error.code === "not_owner")) this.lose(error);
      else this.lastError = error; // Transient (a timeout, a lost link): the next tick tries again, the expiry decides.
      return;
    }
    if (this.controller.signal.aborted) {
      // The lease ran out here before this renew came back: give the object up rather than hold it unused.
      if ((this.controller.signal.reason as DirectoryError).code === "lease_lost") await this.host.release(renewed).catch(() => false);
      return;
    }
    this.ownership = renewed;
    this.deadline = renewed.validUntil ?? 0;
    this.armExpiry();
  }

  private armExpiry(): void {
    clearTimeout(this.expiry);
    this.expiry = setTimeout(() => {
      if (performance.now() < this.deadline) return this.armExpiry();
      const cause = this.lastError === undefined ? "" : ` (last renew failed: ${this.lastError instanceof Error ? this.lastError.message : String(this.lastError)})`;
      this.lose(new DirectoryError("lease_lost", `Lease of "${this.ownership.key}" (PoP "${this.ownership.pop}", epoch ${this.ownership.epoch}) ran out before a renew succeeded${cause}`, { cause: this.lastError }));
    }, Math.max(0, this.deadline - performance.now()));
  }

  private observe(stored: Stored | null): void {
    if (this.controller.signal.aborted || (stored && stored.revision <= this.ownership.revision)) return;
    const record = stored?.record;
    if (record && record.pop === this.ownership.pop && record.holder === this.host.holder && record.epoch === this.ownership.epoch) return;
    this.lose(lostError(this.ownership, stored));
  }
}
