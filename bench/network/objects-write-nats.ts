/**
 * @module A durable write to a Durable Object on NATS: a real nats-server on
 * loopback and two `verge pop` processes (virginia, frankfurt) on it serving
 * bench/workers/objects. The object is created at virginia; the client there,
 * at the owner, alternates `POST /object/increment` (one storage write: its
 * reply passes the output gate, so it waits until the journal append is
 * acknowledged by JetStream) with `GET /object/read` (no write), over one
 * keep-alive connection, after a warm-up.
 */
import { summarize } from "../stats.js";
import { alternate } from "./client.js";
import { callObject } from "./objects.js";
import { startNatsPops } from "./pop-process.js";
import { OBJECTS_WORKER_DIR } from "./setup.js";
import type { Summary } from "./types.js";

export const OBJECT_NATS_POPS = ["virginia", "frankfurt"];
/** The PoP the client talks to: it creates, and so owns, the object. */
export const OBJECT_NATS_OWNER = "virginia";

export interface ObjectWriteResult {
  natsServer: string;
  /** Whether the server fsyncs every write (`sync_interval: always`); false: its default policy. */
  syncAlways: boolean;
  /** Measured requests of each kind. */
  requests: number;
  warmup: number;
  /** Client-side ms of `POST /object/increment`. */
  write: Summary;
  /** Client-side ms of `GET /object/read`. */
  read: Summary;
  addedP50Ms: number;
}

export async function runObjectWriteNats(requests: number, warmup: number): Promise<ObjectWriteResult> {
  const cluster = await startNatsPops(OBJECTS_WORKER_DIR, OBJECT_NATS_POPS);
  try {
    const client = cluster.clients[OBJECT_NATS_OWNER];
    const created = await callObject(client, "increment");
    let count = created.n;
    const write = async () => {
      const answer = await callObject(client, "increment", created.instance);
      if (answer.n !== ++count) throw new Error(`increment answered ${answer.n}, expected ${count}`);
      return answer;
    };
    const times = await alternate({ write, read: () => callObject(client, "read", created.instance) }, requests, warmup);
    const writeMs = summarize(times.write);
    const read = summarize(times.read);
    return { natsServer: cluster.nats.version, syncAlways: cluster.nats.syncAlways, requests, warmup, write: writeMs, read, addedP50Ms: writeMs.p50 - read.p50 };
  } finally {
    await cluster.close();
  }
}
