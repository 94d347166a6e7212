/**
 * @module What a PoP's Durable Objects report for its metrics, by worker and
 * class: objects owned here, instances loaded in the isolate, events run here
 * and events forwarded to the owner at another PoP.
 */
import type { ObjectTarget } from "./event.js";

/** One worker's class of objects at this PoP. */
export interface DurableObjectStats {
  worker: string;
  className: string;
  /** Objects this PoP owns now (holds the directory lease of, or keeps in memory without a substrate). */
  owned: number;
  /** Owned objects whose instance is loaded in the worker's isolate now. */
  loaded: number;
  /** Events (fetch, RPC call, alarm, WebSocket message) run here since the PoP started, forwarded ones included. */
  eventsRun: number;
  /** Events sent to the owner at another PoP since the PoP started (every attempt). */
  eventsForwarded: number;
}

/** What the stats are computed from: an owned object. */
export interface OwnedView {
  target: Pick<ObjectTarget, "worker" | "className">;
  closed: boolean;
  loaded: boolean;
}

type Key = string;
const keyOf = (target: Pick<ObjectTarget, "worker" | "className">): Key => `${target.worker}\n${target.className}`;

/** Event counts by worker and class, since the PoP started. */
export class ObjectTally {
  readonly #counts = new Map<Key, DurableObjectStats>();

  count(target: Pick<ObjectTarget, "worker" | "className">, what: "eventsRun" | "eventsForwarded"): void {
    this.#row(this.#counts, target)[what]++;
  }

  /** The counts, with what `owned` holds now. */
  snapshot(owned: Iterable<OwnedView>): DurableObjectStats[] {
    const rows = new Map<Key, DurableObjectStats>();
    for (const counted of this.#counts.values()) rows.set(keyOf(counted), { ...counted });
    for (const object of owned) {
      if (object.closed) continue;
      const row = this.#row(rows, object.target);
      row.owned++;
      if (object.loaded) row.loaded++;
    }
    return [...rows.values()];
  }

  #row(rows: Map<Key, DurableObjectStats>, target: Pick<ObjectTarget, "worker" | "className">): DurableObjectStats {
    const key = keyOf(target);
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { worker: target.worker, className: target.className, owned: 0, loaded: 0, eventsRun: 0, eventsForwarded: 0 }));
    return row;
  }
}
