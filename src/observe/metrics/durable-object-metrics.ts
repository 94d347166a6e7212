/**
 * @module Durable Object metrics of a PoP, read at scrape time, by worker and
 * class: objects owned here, instances loaded in the isolate, events run
 * here and events forwarded to owners at other PoPs.
 */
import type { Registry } from "prom-client";
import type { DurableObjectStats } from "../../bindings/durable-objects/plugin.js";
import { collectedCounter, collectedGauge } from "./collected.js";

const labelNames = ["worker", "class"] as const;

/** Registers the Durable Object metrics in `registry`, read from `stats()` at every scrape. */
export function durableObjectMetrics(registry: Registry, stats: () => DurableObjectStats[]): void {
  const each = (value: (row: DurableObjectStats) => number) => () => stats().map((row) => [{ worker: row.worker, class: row.className }, value(row)] as const);
  collectedGauge(registry, { name: "verge_durable_objects_owned", help: "Durable Objects this PoP owns now", labelNames, read: each((row) => row.owned) });
  collectedGauge(registry, { name: "verge_durable_objects_loaded", help: "Owned Durable Objects whose instance is loaded in the isolate now", labelNames, read: each((row) => row.loaded) });
  collectedCounter(registry, { name: "verge_durable_object_events_total", help: "Events (fetch, RPC call, alarm, WebSocket message) run by objects at this PoP, forwarded ones included", labelNames, read: each((row) => row.eventsRun) });
  collectedCounter(registry, { name: "verge_durable_object_forwards_total", help: "Events sent to an object's owner at another PoP", labelNames, read: each((row) => row.eventsForwarded) });
}
