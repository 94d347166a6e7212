/**
 * @module The bindings a PoP knows, by kind. Each binding issue adds its
 * plugin here, one line per binding.
 */
import type { AdminHandler } from "../pop/admin.js";
import type { OpTable } from "../runtime/ops.js";
import { cachePlugin } from "./cache/plugin.js";
import { durableObjectsPlugin } from "./durable-objects/plugin.js";
import { kvPlugin } from "./kv/plugin.js";
import type { BindingDescriptor, BindingPlugin, BindingServices } from "./types.js";

export const bindingPlugins: readonly BindingPlugin[] = [kvPlugin, cachePlugin, durableObjectsPlugin];

/** Every binding's ops, for the PoP's op table. */
export function bindingOps(services: BindingServices, plugins: readonly BindingPlugin[] = bindingPlugins): OpTable {
  const table: OpTable = {};
  for (const plugin of plugins) {
    for (const [name, handler] of Object.entries(plugin.ops(services))) {
      if (!name.startsWith(`${plugin.kind}.`)) throw new Error(`Binding "${plugin.kind}" defines op "${name}" outside its namespace`);
      table[name] = handler;
    }
  }
  return table;
}

/** Every binding's dev control areas, by area name. */
export function bindingAdminAreas(services: BindingServices, plugins: readonly BindingPlugin[] = bindingPlugins): Map<string, AdminHandler> {
  const areas = new Map<string, AdminHandler>();
  for (const plugin of plugins) {
    for (const [area, handler] of Object.entries(plugin.admin?.(services) ?? {})) {
      if (areas.has(area)) throw new Error(`Binding "${plugin.kind}" defines dev control area "${area}" twice`);
      areas.set(area, handler);
    }
  }
  return areas;
}

/** The binding descriptors a worker's config declares. */
export function bindingsFromConfig(raw: Record<string, unknown>, file: string, plugins: readonly BindingPlugin[] = bindingPlugins): BindingDescriptor[] {
  return plugins.flatMap((plugin) => plugin.fromConfig(raw, file));
}

/** Lets each plugin prepare for the bindings of a worker version the PoP now hosts. */
export function prepareBindings(services: BindingServices, bindings: readonly BindingDescriptor[], plugins: readonly BindingPlugin[] = bindingPlugins): void {
  for (const binding of bindings) plugins.find((plugin) => plugin.kind === binding.kind)?.prepare?.(services, binding);
}
