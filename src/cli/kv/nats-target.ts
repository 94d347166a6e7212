/**
 * @module `verge kv --nats`: one namespace reached by joining the NATS
 * cluster directly, as a short-lived substrate view with a name of its own
 * and an in-memory replica. Writes take a PoP's path (appended to the
 * namespace's stream, durable); reads first catch up with the stream's tail,
 * so they see every write acknowledged before the command started.
 */
import { listedKey, listPage, listResult } from "../../bindings/kv/listing.js";
import { KvNamespace } from "../../bindings/kv/namespace.js";
import { checkExpiration } from "../../bindings/kv/validate.js";
import { VergeError } from "../../errors.js";
import { createNatsSubstrate, type NatsSubstrate } from "../../substrate/nats/index.js";
import { commandViewName } from "../network-target.js";
import type { KvListedKey, KvListResult, KvPutOptions, KvTarget } from "./target.js";

/** How long one command may wait for the cluster before it counts as unreachable. */
const TIMEOUT_MS = 10_000;
/** The region the view claims: NATS ignores it (it only drives the embedded latency model). */
const REGION = "virginia";

/**
 * A namespace in a NATS cluster.
 *
 * @example const kv = NatsKvTarget.open(["nats://127.0.0.1:4222"], "flags"); await kv.put("beta", bytes, { metadata: null }); await kv.close();
 */
export class NatsKvTarget implements KvTarget {
  private constructor(
    private readonly servers: string[],
    private readonly substrate: NatsSubstrate,
    private readonly namespace: KvNamespace,
  ) {}

  /** Joins the cluster (in the background: calls wait for the connection) as a view of its own, `kv-<random>`. */
  static open(servers: string[], namespace: string): NatsKvTarget {
    const name = commandViewName("kv");
    const substrate = createNatsSubstrate({ servers });
    return new NatsKvTarget(servers, substrate, new KvNamespace(namespace, name, substrate.forPop(name, { region: REGION }), undefined));
  }

  async get(key: string): Promise<Uint8Array | null> {
    await this.#within((signal) => this.namespace.catchUp({ signal }));
    return this.namespace.replica.get(key)?.value ?? null;
  }

  async describe(key: string): Promise<KvListedKey | null> {
    await this.#within((signal) => this.namespace.catchUp({ signal }));
    const entry = this.namespace.replica.get(key);
    return entry && listedKey({ name: key, expiration: entry.expiration, metadata: entry.metadata });
  }

  async put(key: string, value: Uint8Array, options: KvPutOptions): Promise<void> {
    const expiration = checkExpiration(options.expiration, options.expirationTtl);
    await this.#within((signal) => this.namespace.write({ kind: "put", key, value, metadata: options.metadata, expiration }, { signal }));
  }

  async delete(key: string): Promise<void> {
    await this.#within((signal) => this.namespace.write({ kind: "delete", key, value: new Uint8Array(0), metadata: null, expiration: null }, { signal }));
  }

  async list(options: { prefix?: string; limit?: number; cursor?: string }): Promise<KvListResult> {
    await this.#within((signal) => this.namespace.catchUp({ signal }));
    return listResult(listPage(this.namespace.replica, options.prefix, options.limit, options.cursor));
  }

  async close(): Promise<void> {
    await this.namespace.close();
    await this.substrate.close();
  }

  /** Runs `call` with a deadline; a cluster that does not answer in time, or fails, is reported as unreachable. */
  async #within<T>(call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const signal = AbortSignal.timeout(TIMEOUT_MS);
    try {
      return await call(signal);
    } catch (error) {
      const why = signal.aborted ? `no answer within ${TIMEOUT_MS / 1000} s` : error instanceof Error ? error.message : String(error);
      throw new VergeError("unreachable", `Cannot reach NATS at ${this.servers.join(",")}: ${why}`, { cause: error });
    }
  }
}
