/**
 * @module The Prometheus metrics of one PoP, in a registry of its own (the
 * PoPs of one process never share one): requests, isolates, KV propagation,
 * the HTTP cache and Durable Objects. Every series carries the label
 * `pop`. See docs/observability.md for the list.
 */
import { Registry } from "prom-client";
import { durableObjectStats } from "../../bindings/durable-objects/plugin.js";
import { kvStats } from "../../bindings/kv/plugin.js";
import type { Pop } from "../../pop/server.js";
import { cacheMetrics } from "./cache-metrics.js";
import { durableObjectMetrics } from "./durable-object-metrics.js";
import { kvMetrics } from "./kv-metrics.js";
import { requestMetrics } from "./request-metrics.js";
import { runtimeMetrics } from "./runtime-metrics.js";

export class PopMetrics {
  readonly registry: Registry;
  readonly #stops: (() => void)[] = [];

  private constructor(pop: Pop) {
    this.registry = new Registry();
    this.registry.setDefaultLabels({ pop: pop.name });
    this.#stops.push(pop.onRequest(requestMetrics(this.registry)));
    runtimeMetrics(this.registry, () => pop.workers.runtimes);
    cacheMetrics(this.registry, pop.cache);
    const services = pop.bindingServices;
    if (services) {
      this.#stops.push(kvMetrics(this.registry, kvStats(services)));
      durableObjectMetrics(this.registry, () => durableObjectStats(services));
    }
  }

  /**
   * Starts measuring `pop` (requests from now on; totals kept by the PoP,
   * such as cold starts, from its start).
   * @example const metrics = PopMetrics.attach(pop); const text = await metrics.metrics();
   */
  static attach(pop: Pop): PopMetrics {
    return new PopMetrics(pop);
  }

  /** The content type of `metrics()`: the Prometheus text format. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Every metric in the Prometheus text format, read now. */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  /** Stops measuring; the registry is emptied. */
  close(): void {
    for (const stop of this.#stops.splice(0)) stop();
    this.registry.clear();
  }
}
