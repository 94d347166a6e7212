/** @module How much the network part measures: its counts, for a full run and for --quick. */

/** The counts of one network run. */
export interface NetworkCounts {
  /** Measured requests of each kind in the KV read run (after `kvWarmup` of each). */
  kvReads: number;
  kvWarmup: number;
  /** Writes in each KV propagation run, spread over the writing PoPs in turn. */
  lagWrites: number;
  /** Purges in each purge run. */
  purges: number;
  /** Requests of each kind per client region in the edge-versus-origin table. */
  edgeSamples: number;
}

/** The counts of a full run (about a minute and a half), and of --quick. */
export function networkCounts(quick: boolean): NetworkCounts {
  return quick ? { kvReads: 500, kvWarmup: 100, lagWrites: 15, purges: 9, edgeSamples: 8 } : { kvReads: 3000, kvWarmup: 300, lagWrites: 51, purges: 30, edgeSamples: 25 };
}
