/**
 * @module The binding plugin interface. A binding (KV, cache, Durable
 * Objects, SQL, …) lives in its own folder `src/bindings/<kind>/` with:
 * - `plugin.ts`: a `BindingPlugin` (config parsing and host ops),
 * - `shim.ts`: the in-isolate API, registered in src/runtime/prelude/bindings.ts,
 * - its tests and a doc page in docs/bindings/<kind>.md.
 * Adding a binding touches no other binding.
 */
import type { PopCache } from "../cache/index.js";
import type { AdminHandler } from "../pop/admin.js";
import type { OpTable } from "../runtime/ops.js";
import type { WorkerRuntime } from "../runtime/worker-runtime.js";
import type { SubstrateView } from "../substrate/types.js";

/** One binding of a worker, as the isolate receives it in `WireInit.bindings`. */
export interface BindingDescriptor {
  /** The env property name, e.g. "FLAGS". */
  name: string;
  /** The plugin kind, e.g. "kv". */
  kind: string;
  /** Copied into the isolate for the shim: ids, names, never secrets of the platform. */
  config: unknown;
}

/** What a binding's host ops may use: the PoP's shared services. */
export interface BindingServices {
  pop: string;
  /** The PoP's view of the substrate shared by the network; absent for a lone PoP (tests). */
  substrate?: SubstrateView;
  /** The PoP's HTTP cache (the Cache API and cached subrequests share it). */
  cache?: PopCache;
  /** A directory the PoP's bindings may keep state under; absent: keep it in memory. */
  dataDir?: string;
  /** Registers work to do when the PoP closes (stop replication, close files). */
  onClose(hook: () => void | Promise<void>): void;
  /** The current version of worker `name` at this PoP, for bindings that run the worker's own code (Durable Objects). */
  worker(name: string): WorkerRuntime | undefined;
  /** Tuning of bindings by kind (lease and idle times of Durable Objects); defaults when absent. */
  settings: BindingSettings;
}

/** Per-binding settings a PoP may be given (tests shorten times with them). */
export interface BindingSettings {
  durableObjects?: {
    /** How long an owner's directory lease lasts without renewal (default 10 s): the failover time after a PoP dies. */
    leaseMs?: number;
    /** An object with no event for this long is evicted from its isolate (default 70 s). */
    idleMs?: number;
    /** An owned object idle this long, with no alarm set, is released to the directory (default 5 min). */
    releaseMs?: number;
    /** First retry delay of a failed alarm, doubled on each retry (default 2 s). */
    alarmRetryMs?: number;
  };
}

export interface BindingPlugin {
  /** Unique kind; its ops are named `<kind>.<verb>`. */
  kind: string;
  /** Reads this binding's section of a parsed wrangler config; errors name file, key and value. */
  fromConfig(raw: Record<string, unknown>, file: string): BindingDescriptor[];
  /** Host ops for the shim, validated like every op. Called once per PoP. */
  ops(services: BindingServices): OpTable;
  /** Optional: dev control areas served at `/__verge/<area>/…` by PoPs of `verge dev` (e.g. "kv"). */
  admin?(services: BindingServices): Record<string, AdminHandler>;
  /** Optional: a worker version with this binding is now hosted at the PoP (e.g. start replicating its data). */
  prepare?(services: BindingServices, binding: BindingDescriptor): void;
}
