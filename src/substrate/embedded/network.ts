/**
 * @module The embedded network: one FIFO link per ordered pair of nodes, each
 * packet delayed by the latency model's one-way time, with partitions, paused
 * nodes and random drops for tests.
 */
import { oneWayMs } from "../../regions/index.js";
import { seeded } from "./random.js";

/**
 * `reliable` packets (store traffic, watch and consume deliveries) are held
 * while a link is cut and delivered when it heals, as a reconnecting client
 * would. `best-effort` packets (pub/sub, requests, replies) are lost across a
 * partition and may be dropped at random. A paused node holds both kinds.
 */
export type Delivery = "reliable" | "best-effort";

/** Options of the network. */
export interface NetworkOptions {
  /** Multiplies every one-way time (0: no delay, but still asynchronous). */
  latencyScale: number;
  /** Probability in [0, 1] that a best-effort packet between two nodes is dropped. */
  dropRate: number;
  /** Seed of the drop decisions, so that a test run repeats exactly. */
  seed: number;
  /** The region a node stands in. */
  regionOf: (node: string) => string;
}

interface Packet {
  kind: Delivery;
  readyAt: number;
  deliver: () => void;
}

interface Link {
  from: string;
  to: string;
  queue: Packet[];
  lastReadyAt: number;
  timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
}

const pair = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`);

/** The links between nodes. Packets on one link arrive in the order sent. */
export class Network {
  private readonly links = new Map<string, Link>();
  private readonly cuts = new Set<string>();
  private readonly paused = new Set<string>();
  private readonly random: () => number;
  private closed = false;

  constructor(private readonly options: NetworkOptions) {
    this.random = seeded(options.seed);
  }

  /** Sends a packet; `deliver` runs at `to` after the link's delay, never synchronously. */
  send(from: string, to: string, kind: Delivery, deliver: () => void): void {
    if (this.closed) return;
    if (from !== to && kind === "best-effort") {
      if (this.cuts.has(pair(from, to)) || (this.options.dropRate > 0 && this.random() < this.options.dropRate)) return;
    }
    const delay = from === to ? 0 : oneWayMs(this.options.regionOf(from), this.options.regionOf(to)) * this.options.latencyScale;
    const link = this.link(from, to);
    const readyAt = Math.max(performance.now() + delay, link.lastReadyAt);
    link.lastReadyAt = readyAt;
    link.queue.push({ kind, readyAt, deliver });
    this.schedule(link);
  }

  /** True while the link between `a` and `b` is cut. */
  isCut(a: string, b: string): boolean {
    return this.cuts.has(pair(a, b));
  }

  /** Cuts the link between `a` and `b` both ways. */
  partition(a: string, b: string): void {
    this.cuts.add(pair(a, b));
  }

  /** Restores the link between `a` and `b`, or every link when called without names. */
  heal(a?: string, b?: string): void {
    if (a !== undefined && b !== undefined) this.cuts.delete(pair(a, b));
    else this.cuts.clear();
    this.rescheduleAll();
  }

  /** Holds every packet from and to `node` until `resume`. */
  pause(node: string): void {
    this.paused.add(node);
  }

  /** Releases what `pause` held, in order. */
  resume(node: string): void {
    this.paused.delete(node);
    this.rescheduleAll();
  }

  /** Changes the drop probability of best-effort packets. */
  setDropRate(rate: number): void {
    if (!(rate >= 0 && rate <= 1)) throw new RangeError(`Drop rate must be in [0, 1]: received ${rate}`);
    this.options.dropRate = rate;
  }

  /** Drops everything in flight and stops every timer. */
  close(): void {
    this.closed = true;
    for (const link of this.links.values()) this.clearTimer(link);
    this.links.clear();
  }

  private link(from: string, to: string): Link {
    const key = `${from}>${to}`;
    let link = this.links.get(key);
    if (!link) this.links.set(key, (link = { from, to, queue: [], lastReadyAt: 0, timer: undefined }));
    return link;
  }

  private schedule(link: Link): void {
    if (link.timer || link.queue.length === 0) return;
    const wait = link.queue[0].readyAt - performance.now();
    const run = (): void => {
      link.timer = undefined;
      this.pump(link);
    };
    link.timer = wait <= 0 ? setImmediate(run) : setTimeout(run, Math.ceil(wait));
  }

  private pump(link: Link): void {
    while (link.queue.length > 0 && !this.closed) {
      const head = link.queue[0];
      if (this.paused.has(link.from) || this.paused.has(link.to)) return;
      if (link.from !== link.to && this.cuts.has(pair(link.from, link.to))) {
        if (head.kind === "reliable") return;
        link.queue.shift();
        continue;
      }
      if (head.readyAt > performance.now()) return this.schedule(link);
      link.queue.shift();
      head.deliver();
    }
  }

  private rescheduleAll(): void {
    for (const link of this.links.values()) this.schedule(link);
  }

  private clearTimer(link: Link): void {
    if (link.timer === undefined) return;
    clearTimeout(link.timer as NodeJS.Timeout);
    clearImmediate(link.timer as NodeJS.Immediate);
    link.timer = undefined;
  }
}
