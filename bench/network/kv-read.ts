/**
 * @module What one `env.KV.get(key)` adds to a request: one PoP (virginia, on
 * an embedded substrate whose store is there too, so the binding is live and
 * replicating), the same worker asked `GET /kv/<key>` (one read of a stored
 * key) and `GET /plain` (no KV at all), alternating, in sequence over one
 * keep-alive connection, after a warm-up. The added latency is the difference
 * of the two distributions' percentiles.
 */
import { summarize } from "../stats.js";
import { alternate } from "./client.js";
import { startEmbeddedPops } from "./setup.js";
import type { Summary } from "./types.js";

export interface KvReadResult {
  /** Measured requests of each kind. */
  requests: number;
  warmup: number;
  /** Client-side ms of `GET /plain`. */
  plain: Summary;
  /** Client-side ms of `GET /kv/<key>`. */
  kv: Summary;
  addedP50Ms: number;
  addedP99Ms: number;
}

const KEY = "bench-read";
const VALUE = "x".repeat(100);

export async function runKvRead(requests: number, warmup: number): Promise<KvReadResult> {
  const net = await startEmbeddedPops(["virginia"]);
  try {
    const client = net.clients.virginia;
    await client.expect(`/kv/${KEY}`, 200, { method: "PUT", body: VALUE });
    const times = await alternate(
      {
        plain: () => client.expect("/plain", 200),
        kv: async () => {
          const answer = await client.expect(`/kv/${KEY}`, 200);
          if (answer.body !== VALUE) throw new Error(`GET /kv/${KEY} answered ${JSON.stringify(answer.body.slice(0, 80))}, expected the stored value`);
          return answer;
        },
      },
      requests,
      warmup,
    );
    const plain = summarize(times.plain);
    const kv = summarize(times.kv);
    return { requests, warmup, plain, kv, addedP50Ms: kv.p50 - plain.p50, addedP99Ms: kv.p99 - plain.p99 };
  } finally {
    await net.close();
  }
}
