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
  /** Measured requests of each kind in the same-PoP Durable Object run (after `objectWarmup` of each). */
  objectReads: number;
  /** Unmeasured requests of each kind first, in the same-PoP and the NATS write runs. */
  objectWarmup: number;
  /** Measured reads at each PoP in the forwarded Durable Object run (a forwarded one takes at least the model's round trip, about 107 ms). */
  objectForwards: number;
  /** Measured writes (and as many reads) in the Durable Object write run on NATS (after `objectWarmup` of each). */
  objectWrites: number;
  /** Measured round trips over each socket in the same-PoP Durable Object WebSocket run (after `socketWarmup` over each). */
  socketRoundTrips: number;
  socketWarmup: number;
  /** Measured round trips over each socket in the relayed Durable Object WebSocket run (a relayed one takes at least the model's round trip, about 107 ms). */
  socketRelayed: number;
  /** Measured seconds of each Durable Object transactions-per-second run, after `objectTxWarmupS` of the same load. */
  objectTxSeconds: number;
  objectTxWarmupS: number;
}

/** The counts of a full run (about two and a half minutes), and of --quick. */
export function networkCounts(quick: boolean): NetworkCounts {
  return quick
    ? { kvReads: 500, kvWarmup: 100, lagWrites: 15, purges: 9, edgeSamples: 8, objectReads: 500, objectWarmup: 100, objectForwards: 15, objectWrites: 300, socketRoundTrips: 500, socketWarmup: 100, socketRelayed: 15, objectTxSeconds: 2, objectTxWarmupS: 0.5 }
    : { kvReads: 3000, kvWarmup: 300, lagWrites: 51, purges: 30, edgeSamples: 25, objectReads: 3000, objectWarmup: 300, objectForwards: 50, objectWrites: 2000, socketRoundTrips: 3000, socketWarmup: 300, socketRelayed: 50, objectTxSeconds: 5, objectTxWarmupS: 1 };
}
