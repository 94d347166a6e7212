/**
 * @module The KV binding plugin: `kv_namespaces` in the config, one replica
 * per namespace at each PoP (started when a worker bound to it is hosted, or
 * when the dev control area first names it), the host ops and the dev
 * control area `/__verge/kv/…`.
 */
import type { BindingPlugin, BindingServices } from "../types.js";
import { kvAdmin } from "./admin.js";
import { kvFromConfig, type KvBindingConfig } from "./config.js";
import { KvNamespace } from "./namespace.js";
import { kvOps } from "./ops.js";
import { KvStats } from "./stats.js";

export type { KvLagSample, KvStats } from "./stats.js";

/** Each PoP's namespaces, by the services object the PoP gave its bindings. */
const perPop = new WeakMap<BindingServices, Map<string, KvNamespace>>();

function namespacesOf(services: BindingServices): Map<string, KvNamespace> {
  let namespaces = perPop.get(services);
  if (!namespaces) {
    const created = new Map<string, KvNamespace>();
    namespaces = created;
    perPop.set(services, created);
    services.onClose(async () => {
      const all = [...created.values()];
      created.clear();
      await Promise.all(all.map((ns) => ns.close()));
    });
  }
  return namespaces;
}

const statsPerPop = new WeakMap<BindingServices, KvStats>();

/** The KV statistics of the PoP whose bindings share `services` (its metrics read them). */
export function kvStats(services: BindingServices): KvStats {
  let stats = statsPerPop.get(services);
  if (!stats) statsPerPop.set(services, (stats = new KvStats()));
  return stats;
}

/** The PoP's namespace `id`, created and replicating from now on if it was not hosted yet. */
function hostedNamespace(services: BindingServices, id: string): KvNamespace {
  const namespaces = namespacesOf(services);
  let ns = namespaces.get(id);
  if (!ns) {
    ns = new KvNamespace(id, services.pop, services.substrate, services.dataDir);
    const stats = kvStats(services);
    ns.onLag((lagMs, writer) => stats.record({ namespace: id, writer, lagMs }));
    namespaces.set(id, ns);
  }
  ns.start();
  return ns;
}

export const kvPlugin: BindingPlugin = {
  kind: "kv",
  fromConfig: kvFromConfig,
  ops: (services) => kvOps(namespacesOf(services)),
  admin: (services) => ({ kv: kvAdmin((id) => hostedNamespace(services, id)) }),
  prepare(services, binding) {
    hostedNamespace(services, (binding.config as KvBindingConfig).id);
  },
};
