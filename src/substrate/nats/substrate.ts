/**
 * @module The NATS JetStream backend: one view per PoP, each over its own
 * connection to the NATS servers, as separate PoP processes would have.
 */
import { region } from "../../regions/index.js";
import { SubstrateError } from "../errors.js";
import { checkName } from "../names.js";
import { STORE_NODE, type PopOptions, type Substrate } from "../types.js";
import type { ConnectionOptions } from "./connection.js";
import { NatsView } from "./view.js";

/** Options of the NATS backend. */
export type NatsOptions = ConnectionOptions;

/**
 * The NATS JetStream Substrate. `forPop` opens the PoP's connection in the
 * background; calls wait for it.
 *
 * @example const substrate = createNatsSubstrate({ servers: ["nats://127.0.0.1:4222"] }); await substrate.forPop("tokyo").append("log", bytes);
 */
export class NatsSubstrate implements Substrate {
  readonly kind = "nats";
  private readonly views = new Map<string, NatsView>();
  private closed = false;

  constructor(private readonly options: NatsOptions) {
    if (options.servers.length === 0) throw new RangeError("NATS substrate needs at least one server URL: received none");
  }

  forPop(pop: string, options: PopOptions = {}): NatsView {
    if (this.closed) throw new SubstrateError("closed", "Substrate is closed");
    const existing = this.views.get(pop);
    if (existing && !existing.isClosed) return existing;
    if (pop === STORE_NODE) throw new SubstrateError("invalid_name", `Invalid PoP name: received "${pop}"; it names the store node`);
    checkName("PoP", pop);
    const view = new NatsView(pop, region(options.region ?? pop).name, this.options);
    this.views.set(pop, view);
    return view;
  }

  /** Resolves once every open view is connected. */
  async connected(): Promise<void> {
    await Promise.all([...this.views.values()].filter((view) => !view.isClosed).map((view) => view.connected()));
  }

  /** Closes every view: pending calls reject and feeds end with `closed`. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.views.values()].map((view) => view.close()));
    this.views.clear();
  }
}

/** A new NATS substrate. */
export function createNatsSubstrate(options: NatsOptions): NatsSubstrate {
  return new NatsSubstrate(options);
}
