/**
 * @module A counter and a histogram counted in plain per-series records and
 * read by the prom-client registry only at scrape time. prom-client's own
 * `inc` and `observe` check and hash their labels on every call: with three
 * calls per request, that was 9–14% of a hello-world PoP's throughput
 * (`npm run bench -- --only platform`). Here a request finds its series once
 * by a key of its own and adds to it. The exposition is prom-client's.
 */
import type { Registry } from "prom-client";

type Labels = Record<string, string>;

interface MetricValue {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

interface Config {
  name: string;
  help: string;
  registers: Registry[];
}

/** What a registry reads of a metric: prom-client's metric interface, the part it calls. */
abstract class TalliedMetric<Series> {
  readonly name: string;
  readonly help: string;
  abstract readonly type: "counter" | "histogram";
  readonly aggregator = "sum";
  protected readonly series = new Map<string, { labels: Labels; series: Series }>();

  constructor(config: Config) {
    this.name = config.name;
    this.help = config.help;
    for (const registry of config.registers) registry.registerMetric(this as unknown as Parameters<Registry["registerMetric"]>[0]);
  }

  /** The series of `labels`, made on first use; callers keep it and add to it. */
  of(labels: Labels): Series {
    const key = JSON.stringify(labels);
    let entry = this.series.get(key);
    if (!entry) this.series.set(key, (entry = { labels, series: this.create() }));
    return entry.series;
  }

  protected abstract create(): Series;
  protected abstract values(): MetricValue[];

  get(): { name: string; help: string; type: string; aggregator: string; values: MetricValue[] } {
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: this.values() };
  }

  reset(): void {
    this.series.clear();
  }
}

export interface CounterSeries {
  value: number;
}

export class TalliedCounter extends TalliedMetric<CounterSeries> {
  readonly type = "counter";

  protected create(): CounterSeries {
    return { value: 0 };
  }

  protected values(): MetricValue[] {
    return [...this.series.values()].map(({ labels, series }) => ({ labels, value: series.value }));
  }
}

export class HistogramSeries {
  readonly counts: number[];
  sum = 0;
  count = 0;

  constructor(private readonly bounds: readonly number[]) {
    this.counts = new Array<number>(bounds.length).fill(0);
  }

  observe(value: number): void {
    this.sum += value;
    this.count++;
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]) {
        this.counts[i]++;
        return;
      }
    }
  }
}

export class TalliedHistogram extends TalliedMetric<HistogramSeries> {
  readonly type = "histogram";
  readonly #bounds: readonly number[];

  constructor(config: Config & { buckets: readonly number[] }) {
    super(config);
    this.#bounds = [...config.buckets].sort((a, b) => a - b);
  }

  protected create(): HistogramSeries {
    return new HistogramSeries(this.#bounds);
  }

  protected values(): MetricValue[] {
    const values: MetricValue[] = [];
    for (const { labels, series } of this.series.values()) {
      let cumulative = 0;
      for (const [i, bound] of this.#bounds.entries()) {
        cumulative += series.counts[i];
        values.push({ labels: { le: bound, ...labels }, value: cumulative, metricName: `${this.name}_bucket` });
      }
      values.push({ labels: { le: "+Inf", ...labels }, value: series.count, metricName: `${this.name}_bucket` });
      values.push({ labels, value: series.sum, metricName: `${this.name}_sum` });
      values.push({ labels, value: series.count, metricName: `${this.name}_count` });
    }
    return values;
  }
}
