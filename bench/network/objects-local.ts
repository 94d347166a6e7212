/**
 * @module What a call to a Durable Object owned by the same PoP adds to a
 * request: one PoP (virginia, on an embedded substrate whose store is there
 * too) serving bench/workers/objects. The object is created there first (one
 * increment, so this PoP owns it); then the same worker is asked `GET
 * /object/read` (one `await stub.read()`, no write) and `GET /plain` (no
 * object), alternating, in sequence over one keep-alive connection, after a
 * warm-up. The added latency is the difference of the two distributions'
 * percentiles, as for a KV read (kv-read.ts).
 */
import { summarize } from "../stats.js";
import { alternate } from "./client.js";
import { callObject } from "./objects.js";
import { OBJECTS_WORKER_DIR, startEmbeddedPops } from "./setup.js";
import type { Summary } from "./types.js";

export interface ObjectLocalResult {
  /** Measured requests of each kind. */
  requests: number;
  warmup: number;
  /** Client-side ms of `GET /plain`. */
  plain: Summary;
  /** Client-side ms of `GET /object/read`. */
  object: Summary;
  addedP50Ms: number;
  addedP99Ms: number;
}

export async function runObjectLocal(requests: number, warmup: number): Promise<ObjectLocalResult> {
  const net = await startEmbeddedPops(["virginia"], { worker: OBJECTS_WORKER_DIR });
  try {
    const client = net.clients.virginia;
    const { instance } = await callObject(client, "increment");
    const times = await alternate({ plain: () => client.expect("/plain", 200), object: () => callObject(client, "read", instance) }, requests, warmup);
    const plain = summarize(times.plain);
    const object = summarize(times.object);
    return { requests, warmup, plain, object, addedP50Ms: object.p50 - plain.p50, addedP99Ms: object.p99 - plain.p99 };
  } finally {
    await net.close();
  }
}
