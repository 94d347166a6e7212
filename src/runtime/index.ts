/**
 * @module The runtime's public surface: run worker versions in isolates.
 */
import { CachedFetch, type PopCache } from "../cache/index.js";
import { bindingAdminAreas, bindingOps, prepareBindings } from "../bindings/registry.js";
import type { BindingServices, BindingSettings } from "../bindings/types.js";
import type { Egress } from "../pop/egress/index.js";
import type { SubstrateView } from "../substrate/types.js";
import { traceBindingOps } from "../observe/tracing/binding-spans.js";
import { coreOps } from "./host-ops/core.js";
import { cryptoOps } from "./host-ops/crypto.js";
import { fetchOps } from "./host-ops/fetch.js";
import { randomOps } from "./host-ops/random.js";
import { urlOps } from "./host-ops/url.js";
import { webSocketOps } from "./host-ops/websocket.js";
import { IsolatePool } from "./isolate-pool.js";
import type { OpTable } from "./ops.js";
import type { RuntimeHost, WorkerRuntime } from "./worker-runtime.js";

export { WorkerRuntime, type WorkerDefinition, type InvokeRequest, type RuntimeHost } from "./worker-runtime.js";
export type { Invocation, InvocationOutcome, InvocationResponse, LogLine } from "./invocation.js";
export { IsolatePool } from "./isolate-pool.js";
export { IsolateSocket } from "./websocket/isolate-socket.js";
export { HostedSocket, newSocketId, type SocketPeer, type UpgradedSocket } from "./websocket/hosted-socket.js";
export { checkedAttachment, checkedClose, checkedMessage, offerSocket } from "./host-ops/websocket.js";
export { WebSocketLimits } from "./bridge/protocol.js";

export interface RuntimeHostOptions {
  pop: string;
  egress: Egress;
  /** Ready isolates kept for cold starts (default 4). */
  poolSize?: number;
  memoryMb?: number;
  /** Handed to the bindings (src/bindings/types.ts BindingServices). */
  substrate?: SubstrateView;
  dataDir?: string;
  /** The PoP's HTTP cache: subrequests with `cf` cache options go through it, and the Cache API uses it. */
  cache?: PopCache;
  /** Tuning of the bindings (src/bindings/types.ts BindingSettings). */
  bindingSettings?: BindingSettings;
}

export function createRuntimeHost(options: RuntimeHostOptions): RuntimeHost {
  const pool = new IsolatePool({ size: options.poolSize ?? 4, memoryMb: options.memoryMb ?? 128 });
  const closeHooks: (() => void | Promise<void>)[] = [];
  let locate: (name: string) => WorkerRuntime | undefined = () => undefined;
  const services: BindingServices = {
    pop: options.pop,
    substrate: options.substrate,
    dataDir: options.dataDir,
    cache: options.cache,
    onClose: (hook) => closeHooks.push(hook),
    worker: (name) => locate(name),
    settings: options.bindingSettings ?? {},
  };
  const ops: OpTable = Object.assign(Object.create(null), traceBindingOps(bindingOps(services)), coreOps, webSocketOps, urlOps, randomOps, cryptoOps, fetchOps(options.egress, options.cache && new CachedFetch(options.cache, options.egress)));
  return {
    pool,
    ops,
    pop: options.pop,
    prepareBindings: (bindings) => prepareBindings(services, bindings),
    locateWorkers: (find) => (locate = find),
    adminAreas: bindingAdminAreas(services),
    bindingServices: services,
    closeBindings: async () => {
      await Promise.all(closeHooks.splice(0).map(async (hook) => hook()));
    },
  };
}
