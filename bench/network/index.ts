/**
 * @module The network part of `npm run bench` (`--only network`): a KV read
 * inside a worker, KV propagation to every PoP (embedded and NATS), purge
 * completion at every PoP (embedded and NATS), the "edge versus origin, by
 * region" table, and Durable Objects: a call to an object at the same PoP, a
 * request forwarded to the object's PoP, a WebSocket message's round trip
 * through an object (at its PoP, and relayed from another), a durable write
 * on NATS, and transactions per second on one object (embedded and NATS). Each
 * measurement runs on its own PoPs; one that fails leaves an error and the
 * others go on. The NATS runs are skipped, with the reason, when nats-server
 * or the `verge pop` command is not available.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { natsServerBinary } from "../../src/substrate/nats/binary.js";
import { runEdgeOrigin, type EdgeResult } from "./edge-origin.js";
import { runKvLagEmbedded, type LagResult } from "./kv-lag.js";
import { runKvLagNats, type NatsLagResult } from "./kv-lag-nats.js";
import { runKvRead, type KvReadResult } from "./kv-read.js";
import { runObjectForward, type ObjectForwardResult } from "./objects-forward.js";
import { runObjectLocal, type ObjectLocalResult } from "./objects-local.js";
import { runObjectSocketLocal, type ObjectSocketLocalResult } from "./objects-socket-local.js";
import { runObjectSocketRelay, type ObjectSocketRelayResult } from "./objects-socket-relay.js";
import { runObjectTxEmbedded, runObjectTxNats, type ObjectTxResult } from "./objects-tx.js";
import { runObjectWriteNats, type ObjectWriteResult } from "./objects-write-nats.js";
import { runPurgeEmbedded, runPurgeNats, type PurgeResult } from "./purge.js";
import type { NetworkCounts } from "./counts.js";

export { networkCounts, type NetworkCounts } from "./counts.js";

export interface NetworkResult {
  counts: NetworkCounts;
  kvRead?: KvReadResult;
  kvLagEmbedded?: LagResult;
  kvLagNats?: NatsLagResult;
  purgeEmbedded?: PurgeResult;
  purgeNats?: PurgeResult;
  edge?: EdgeResult;
  objectLocal?: ObjectLocalResult;
  objectForward?: ObjectForwardResult;
  objectSocketLocal?: ObjectSocketLocalResult;
  objectSocketRelay?: ObjectSocketRelayResult;
  objectWriteNats?: ObjectWriteResult;
  objectTxEmbedded?: ObjectTxResult;
  objectTxNats?: ObjectTxResult;
  /** Runs that did not happen, and why. */
  skipped: { part: string; reason: string }[];
}

const POP_COMMAND = fileURLToPath(new URL("../../dist/cli/commands/pop.js", import.meta.url));

/** Why the NATS runs cannot happen here, or undefined when they can. */
function natsUnavailable(): string | undefined {
  try {
    natsServerBinary();
  } catch (error) {
    return error instanceof Error ? error.message.split("\n")[0] : String(error);
  }
  return undefined;
}

function failure(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function runNetwork(counts: NetworkCounts, errors: string[]): Promise<NetworkResult> {
  const result: NetworkResult = { counts, skipped: [] };
  const step = async <T>(part: string, what: string, run: () => Promise<T>): Promise<T | undefined> => {
    process.stderr.write(`bench: network: ${what}\n`);
    try {
      return await run();
    } catch (error) {
      errors.push(`network ${part}: ${failure(error)}`);
      process.stderr.write(`bench: network ${part} failed: ${failure(error)}\n`);
      return undefined;
    }
  };
  const noNats = natsUnavailable();
  const noPop = noNats ?? (existsSync(POP_COMMAND) ? undefined : `the verge pop command is not built (${POP_COMMAND} is missing)`);

  result.kvRead = await step("kv read", `KV read in a worker, ${counts.kvReads} requests with and without it`, () => runKvRead(counts.kvReads, counts.kvWarmup));
  result.kvLagEmbedded = await step("kv lag embedded", `KV propagation to 3 PoPs, embedded, ${counts.lagWrites} writes`, () => runKvLagEmbedded(counts.lagWrites));
  if (noPop) result.skipped.push({ part: "kv lag nats", reason: noPop });
  else result.kvLagNats = await step("kv lag nats", `KV propagation to 3 verge pop processes on nats-server, ${counts.lagWrites} writes`, () => runKvLagNats(counts.lagWrites));
  result.purgeEmbedded = await step("purge embedded", `purge at 3 PoPs, embedded, ${counts.purges} purges`, () => runPurgeEmbedded(counts.purges));
  if (noNats) result.skipped.push({ part: "purge nats", reason: noNats });
  else result.purgeNats = await step("purge nats", `purge at 3 PoPs on nats-server, ${counts.purges} purges`, () => runPurgeNats(counts.purges));
  result.edge = await step("edge vs origin", `edge versus origin by region, ${counts.edgeSamples} requests of each kind per region`, () => runEdgeOrigin(counts.edgeSamples));
  result.objectLocal = await step("object same pop", `Durable Object read at its own PoP, ${counts.objectReads} requests with and without it`, () => runObjectLocal(counts.objectReads, counts.objectWarmup));
  result.objectForward = await step("object forwarded", `Durable Object read forwarded frankfurt -> virginia, embedded, ${counts.objectForwards} requests at each`, () => runObjectForward(counts.objectForwards));
  result.objectSocketLocal = await step("object socket same pop", `WebSocket round trips through a Durable Object at its own PoP, ${counts.socketRoundTrips} with and without it`, () => runObjectSocketLocal(counts.socketRoundTrips, counts.socketWarmup));
  result.objectSocketRelay = await step("object socket relayed", `WebSocket round trips to a Durable Object relayed frankfurt -> virginia, embedded, ${counts.socketRelayed} at each`, () => runObjectSocketRelay(counts.socketRelayed));
  if (noPop) result.skipped.push({ part: "object write nats", reason: noPop });
  else result.objectWriteNats = await step("object write nats", `Durable Object writes on 2 verge pop processes on nats-server, ${counts.objectWrites} writes and reads`, () => runObjectWriteNats(counts.objectWrites, counts.objectWarmup));
  const tx = `${counts.objectTxSeconds} s of increments on one Durable Object`;
  result.objectTxEmbedded = await step("object tx embedded", `${tx}, embedded`, () => runObjectTxEmbedded(counts.objectTxSeconds, counts.objectTxWarmupS));
  if (noPop) result.skipped.push({ part: "object tx nats", reason: noPop });
  else result.objectTxNats = await step("object tx nats", `${tx}, 2 verge pop processes on nats-server`, () => runObjectTxNats(counts.objectTxSeconds, counts.objectTxWarmupS));
  return result;
}
