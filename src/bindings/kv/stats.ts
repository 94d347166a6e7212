/**
 * @module What a PoP's KV replicas report for its metrics: the propagation
 * lag of every write from another PoP applied here (the time from the
 * write's timestamp at its PoP to its application in this replica).
 */

/** One remote write applied at this PoP. */
export interface KvLagSample {
  /** The namespace id. */
  namespace: string;
  /** The PoP that made the write. */
  writer: string;
  /** Milliseconds from the write to its application here (0 when the writer's clock ran ahead). */
  lagMs: number;
}

/** A PoP's KV statistics: listeners of the lag samples of all its namespaces. */
export class KvStats {
  readonly #listeners = new Set<(sample: KvLagSample) => void>();

  /** Calls `listener` for every remote write applied from now on; answers a function that stops it. */
  onLag(listener: (sample: KvLagSample) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Called by the PoP's namespaces. */
  record(sample: KvLagSample): void {
    for (const listener of this.#listeners) listener(sample);
  }
}
