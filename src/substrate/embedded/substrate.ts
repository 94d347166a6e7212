/**
 * @module The embedded backend: every PoP in one process, a store node at a
 * home region, and a network that applies the latency model and injected faults.
 */
import { region } from "../../regions/index.js";
import { SubstrateError } from "../errors.js";
import { checkName } from "../names.js";
import { STORE_NODE, type PopOptions, type Substrate, type SubstrateView } from "../types.js";
import { Network } from "./network.js";
import { Store } from "./store.js";
import { Switchboard } from "./switchboard.js";
import { EmbeddedView, type Shared } from "./view.js";

/** Options of the embedded backend. */
export interface EmbeddedOptions {
  /** Multiplies every one-way delay of the latency model; 0 for fast tests. Default 1. */
  latencyScale?: number;
  /** Region of the store node that holds buckets and streams. Default `virginia`. */
  home?: string;
  /** Directory for an append-only file per stream and bucket; acknowledged writes survive a restart. Default: memory only. */
  dir?: string;
  /** Probability that a pub/sub message, request or reply between two PoPs is lost. Default 0. */
  dropRate?: number;
  /** Seed of the drop decisions. Default 1. */
  seed?: number;
}

/**
 * The embedded Substrate, with fault injection for tests.
 *
 * @example const substrate = createEmbeddedSubstrate({ latencyScale: 0 }); const tokyo = substrate.forPop("tokyo");
 */
export class EmbeddedSubstrate implements Substrate {
  readonly kind = "embedded";
  /** Region of the store node. */
  readonly home: string;
  private readonly regionOf = new Map<string, string>();
  private readonly views = new Map<string, EmbeddedView>();
  private readonly shared: Shared;
  private closed = false;

  constructor(options: EmbeddedOptions = {}) {
    const { latencyScale = 1, dropRate = 0, seed = 1 } = options;
    if (!(latencyScale >= 0 && Number.isFinite(latencyScale))) throw new RangeError(`Latency scale must be >= 0: received ${latencyScale}`);
    this.home = region(options.home ?? "virginia").name;
    this.regionOf.set(STORE_NODE, this.home);
    const net = new Network({ latencyScale, dropRate: 0, seed, regionOf: (node) => this.regionOf.get(node) ?? this.home });
    net.setDropRate(dropRate);
    this.shared = { net, store: new Store(options.dir), board: new Switchboard(net) };
  }

  forPop(pop: string, options: PopOptions = {}): SubstrateView {
    if (this.closed) throw new SubstrateError("closed", "Substrate is closed");
    const existing = this.views.get(pop);
    if (existing && !existing.isClosed) return existing;
    checkPopName(pop);
    const where = region(options.region ?? pop).name;
    this.regionOf.set(pop, where);
    const view = new EmbeddedView(pop, where, this.shared);
    this.views.set(pop, view);
    return view;
  }

  /** Cuts the link between two nodes (PoP names or STORE_NODE): requests and messages are lost, store traffic waits. */
  partition(a: string, b: string): void {
    this.linkChange(() => this.shared.net.partition(a, b));
  }

  /** Restores one link, or every link without arguments; held store traffic is delivered. */
  heal(a?: string, b?: string): void {
    this.linkChange(() => this.shared.net.heal(a, b));
  }

  /** Applies a change of links and tells each view whose link to the store it cut or restored. */
  private linkChange(change: () => void): void {
    const before = new Map([...this.views].map(([pop, view]) => [view, this.shared.net.isCut(pop, STORE_NODE)]));
    change();
    for (const [view, wasCut] of before) {
      const cut = this.shared.net.isCut(view.pop, STORE_NODE);
      if (cut !== wasCut) view.connectionChanged(cut ? "disconnected" : "reconnected");
    }
  }

  /** Freezes a node as a stopped process would be: everything to and from it waits. */
  pause(node: string): void {
    this.shared.net.pause(node);
  }

  /** Unfreezes a node; what waited is delivered in order. */
  resume(node: string): void {
    this.shared.net.resume(node);
  }

  /** Changes the probability that a pub/sub message, request or reply is lost. */
  setDropRate(rate: number): void {
    this.shared.net.setDropRate(rate);
  }

  /** Closes every view (pending calls reject, subscriptions end with `closed`), then the store's files. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.views.values()].map((view) => view.close()));
    this.shared.board.close(new SubstrateError("closed", "Substrate is closed"));
    this.shared.net.close();
    await this.shared.store.close();
  }
}

function checkPopName(pop: string): void {
  if (pop === STORE_NODE) throw new SubstrateError("invalid_name", `Invalid PoP name: received "${pop}"; it names the store node`);
  checkName("PoP", pop);
}

/** A new embedded substrate. */
export function createEmbeddedSubstrate(options: EmbeddedOptions = {}): EmbeddedSubstrate {
  return new EmbeddedSubstrate(options);
}
