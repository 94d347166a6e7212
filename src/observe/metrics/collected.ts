/**
 * @module Metrics read at scrape time: a counter or gauge whose samples a
 * function answers from the state it reads (a total kept elsewhere, a count
 * of what is live now), so nothing has to be told when it changes.
 */
import { Counter, Gauge, type Registry } from "prom-client";

/** One sample: its labels and its value. */
export type Sample<L extends string> = readonly [Record<L, string>, number];

export interface CollectedSpec<L extends string> {
  name: string;
  help: string;
  labelNames: readonly L[];
  /** The samples now; series it no longer answers disappear. */
  read: () => Iterable<Sample<L>>;
}

/** A counter whose totals are kept elsewhere (they only grow while their subject lives). */
export function collectedCounter<L extends string>(registry: Registry, spec: CollectedSpec<L>): Counter<L> {
  const { read, ...options } = spec;
  return new Counter<L>({
    ...options,
    registers: [registry],
    collect() {
      this.reset();
      for (const [labels, value] of read()) this.inc(labels, value);
    },
  });
}

/** A gauge of what is true now. */
export function collectedGauge<L extends string>(registry: Registry, spec: CollectedSpec<L>): Gauge<L> {
  const { read, ...options } = spec;
  return new Gauge<L>({
    ...options,
    registers: [registry],
    collect() {
      this.reset();
      for (const [labels, value] of read()) this.set(labels, value);
    },
  });
}
