/**
 * @module A WebSocket message to a Durable Object from a client at a PoP that
 * does not own the object, relayed to the one that does: two PoPs
 * (frankfurt, virginia) on one embedded substrate at latency scale 1 with
 * its store in virginia, serving bench/workers/objects. A socket to
 * `/socket/object` is opened at virginia first, so virginia owns the Echo
 * object and holds it; then one at frankfurt, whose frames go to the object
 * over the substrate's socket relay and back. Both sockets must name the one
 * instance. Text messages go over each in turn, one at a time, after a
 * warm-up. The extra is frankfurt's p50 minus virginia's minus the latency
 * model's round trip between the two regions: what the relay costs beyond
 * the network. The bare substrate's own request/reply over the same path is
 * timed too (objects-forward.ts), as part of that extra.
 */
import { rttMs } from "../../src/regions/index.js";
import { summarize } from "../stats.js";
import { alternate } from "./client.js";
import { bareSubstrateOverheadMs } from "./objects-forward.js";
import { OBJECTS_WORKER_DIR, startEmbeddedPops } from "./setup.js";
import { EchoSocket } from "./socket-client.js";
import type { Summary } from "./types.js";

const FROM = "frankfurt";
const OWNER = "virginia";
/** Unmeasured rounds first. */
const WARMUP = 3;
const PATH = "/socket/object?name=bench";

export interface ObjectSocketRelayResult {
  /** Measured round trips over each socket. */
  roundTrips: number;
  warmup: number;
  /** The client's PoP (relayed), and the object's. */
  from: string;
  owner: string;
  /** Client-side ms of a round trip from `from` (relayed). */
  relayed: Summary;
  /** Client-side ms of a round trip at `owner`. */
  local: Summary;
  /** The latency model's round trip between the two regions. */
  modelRttMs: number;
  /** relayed p50 − local p50 − modelRttMs. */
  extraP50Ms: number;
  /** The bare embedded substrate's request/reply from `from` to `owner` (empty handler): p50 minus modelRttMs. */
  substrateOverheadP50Ms: number;
}

export async function runObjectSocketRelay(roundTrips: number): Promise<ObjectSocketRelayResult> {
  const net = await startEmbeddedPops([FROM, OWNER], { latencyScale: 1, home: OWNER, worker: OBJECTS_WORKER_DIR });
  const sockets: EchoSocket[] = [];
  let measured: Omit<ObjectSocketRelayResult, "substrateOverheadP50Ms">;
  try {
    const local = await EchoSocket.open(net.clients[OWNER].baseUrl, PATH);
    sockets.push(local);
    const relayed = await EchoSocket.open(net.clients[FROM].baseUrl, PATH);
    sockets.push(relayed);
    const [ownerInstance, fromInstance] = [local.headers["x-instance"], relayed.headers["x-instance"]];
    if (ownerInstance === undefined || fromInstance !== ownerInstance) throw new Error(`the sockets at ${OWNER} and ${FROM} were answered by instances ${String(ownerInstance)} and ${String(fromInstance)}, not one`);
    const times = await alternate({ relayed: () => relayed.roundTrip(), local: () => local.roundTrip() }, roundTrips, WARMUP);
    const relayedMs = summarize(times.relayed);
    const localMs = summarize(times.local);
    const modelRttMs = rttMs(FROM, OWNER);
    measured = { roundTrips, warmup: WARMUP, from: FROM, owner: OWNER, relayed: relayedMs, local: localMs, modelRttMs, extraP50Ms: relayedMs.p50 - localMs.p50 - modelRttMs };
  } finally {
    for (const socket of sockets) socket.close();
    await net.close();
  }
  // Once the PoPs are gone, so that only the substrate's own timers run.
  return { ...measured, substrateOverheadP50Ms: await bareSubstrateOverheadMs(FROM, OWNER) };
}
