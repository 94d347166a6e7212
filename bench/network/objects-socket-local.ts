/**
 * @module What a Durable Object in the path adds to a WebSocket message's
 * round trip: one PoP (virginia, on an embedded substrate whose store is
 * there too) serving bench/workers/objects, with two sockets open to it: one
 * to `/socket/object` (held by an Echo object with `ctx.acceptWebSocket`,
 * hibernatable; its `webSocketMessage` sends the message back) and one to
 * `/socket/plain` (the worker's own WebSocketPair, `accept()` and a message
 * listener sending it back; no object). Text messages go over each in turn,
 * one at a time, after a warm-up; the added latency is the difference of the
 * two distributions' percentiles, as for a request (objects-local.ts).
 */
import { summarize } from "../stats.js";
import { alternate } from "./client.js";
import { OBJECTS_WORKER_DIR, startEmbeddedPops } from "./setup.js";
import { EchoSocket } from "./socket-client.js";
import type { Summary } from "./types.js";

const POP = "virginia";

export interface ObjectSocketLocalResult {
  /** Measured round trips over each socket. */
  roundTrips: number;
  warmup: number;
  /** Client-side ms of a round trip through the worker's own socket. */
  plain: Summary;
  /** Client-side ms of a round trip through the object's socket. */
  object: Summary;
  addedP50Ms: number;
  addedP99Ms: number;
}

export async function runObjectSocketLocal(roundTrips: number, warmup: number): Promise<ObjectSocketLocalResult> {
  const net = await startEmbeddedPops([POP], { worker: OBJECTS_WORKER_DIR });
  const sockets: EchoSocket[] = [];
  try {
    const baseUrl = net.clients[POP].baseUrl;
    const object = await EchoSocket.open(baseUrl, "/socket/object?name=bench");
    sockets.push(object);
    const plain = await EchoSocket.open(baseUrl, "/socket/plain");
    sockets.push(plain);
    const times = await alternate({ plain: () => plain.roundTrip(), object: () => object.roundTrip() }, roundTrips, warmup);
    const plainMs = summarize(times.plain);
    const objectMs = summarize(times.object);
    return { roundTrips, warmup, plain: plainMs, object: objectMs, addedP50Ms: objectMs.p50 - plainMs.p50, addedP99Ms: objectMs.p99 - plainMs.p99 };
  } finally {
    for (const socket of sockets) socket.close();
    await net.close();
  }
}
