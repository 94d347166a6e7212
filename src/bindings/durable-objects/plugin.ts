/**
 * @module The Durable Objects binding plugin: `durable_objects.bindings` and
 * `migrations` in the config, one ObjectHost per PoP (started when a worker
 * with a Durable Object binding is hosted), and the host ops.
 */
import type { BindingPlugin, BindingServices } from "../types.js";
import { durableObjectsFromConfig } from "./config.js";
import { ObjectHost } from "./host/object-host.js";
import { durableObjectOps } from "./ops.js";
import type { DurableObjectStats } from "./host/stats.js";
import { KIND } from "./wire.js";

export type { DurableObjectStats } from "./host/stats.js";

const perPop = new WeakMap<BindingServices, ObjectHost>();

function hostOf(services: BindingServices): ObjectHost {
  let host = perPop.get(services);
  if (!host) {
    const created = new ObjectHost(services);
    host = created;
    perPop.set(services, created);
    services.onClose(() => created.close());
  }
  return host;
}

/** The Durable Objects of the PoP whose bindings share `services`, by worker and class; none before its first Durable Object binding. */
export function durableObjectStats(services: BindingServices): DurableObjectStats[] {
  return perPop.get(services)?.stats() ?? [];
}

export const durableObjectsPlugin: BindingPlugin = {
  kind: KIND,
  fromConfig: durableObjectsFromConfig,
  ops: (services) => durableObjectOps(hostOf(services)),
  prepare: (services) => hostOf(services).start(),
};
