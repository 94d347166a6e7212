/** @module The performance goals from the issue, checked against the figures of one run. */
import type { VergeColdResult } from "./cold-start.js";
import type { DeployLatencyResult } from "./deploy/latency.js";
import type { NetworkResult } from "./network/index.js";
import type { ThroughputRow } from "./throughput.js";
import type { TracingCostResult } from "./tracing/cost.js";
import type { PlatformCostResult } from "./platform/cost.js";

/** One goal: what it asks, the figure it is checked on, and whether this run met it (undefined: no figure). */
export interface GoalCheck {
  id:
    | "hello_rps"
    | "hello_p99"
    | "cold_p50"
    | "cold_p99"
    | "idle_isolate"
    | "kv_read_p99"
    | "kv_lag_embedded_p99"
    | "kv_lag_nats_p99"
    | "purge_embedded_p50"
    | "purge_embedded_p99"
    | "purge_nats_p50"
    | "purge_nats_p99"
    | "edge_overhead"
    | "origin_overhead"
    | "object_local_p50"
    | "object_forward_extra"
    | "object_socket_local_p50"
    | "object_socket_relay_extra"
    | "object_write_nats_p50"
    | "object_tx_embedded"
    | "object_tx_nats"
    | "tracing_cost"
    | "platform_cost"
    | "deploy_p99";
  goal: string;
  value?: number;
  met?: boolean;
}

export const GOALS = {
  HELLO_RPS_VS_WORKERD: 1.5,
  COLD_P50_MS: 5,
  COLD_P99_MS: 10,
  IDLE_ISOLATE_MB: 3,
  /** What one `env.KV.get` may add to a request's p99. */
  KV_READ_ADDED_P99_MS: 1,
  /** A KV write readable at every PoP (Workers KV promises up to 60 s). */
  KV_LAG_P99_MS: 1000,
  /** A purge complete at every PoP (Cloudflare's instant purge: about 150 ms p50). */
  PURGE_P50_MS: 100,
  PURGE_P99_MS: 300,
  /** The PoP's own time in a request (wall time minus the latency model's delays), p50 in the worst region. */
  POP_OVERHEAD_MS: 1,
  /** What a call to a Durable Object owned by the same PoP may add to a request, p50; and what an object holding a WebSocket may add to a message's round trip. */
  OBJECT_LOCAL_ADDED_P50_MS: 0.5,
  /** What forwarding a request to the object's PoP may cost beyond the model's round trip, p50; and relaying a WebSocket message there and back. */
  OBJECT_FORWARD_EXTRA_MS: 1,
  /** A durable write to an object, answered after the output gate, p50. */
  OBJECT_WRITE_P50_MS: 10,
  /** Transactions per second on one object (Cloudflare reports about 410). */
  OBJECT_TX_PER_S: 1000,
  /** Throughput lost to tracing at 5% sampling, against tracing off, in percent. */
  TRACING_COST_PCT: 3,
  /** Throughput a PoP under verge start (control-plane listeners, metrics) loses against a bare one, in percent. */
  PLATFORM_COST_PCT: 5,
  /** From a deploy call returning to every PoP serving the new version, p99. */
  DEPLOY_P99_MS: 1000,
} as const;

function check(id: GoalCheck["id"], goal: string, value: number | undefined, ok: (v: number) => boolean): GoalCheck {
  return value === undefined || Number.isNaN(value) ? { id, goal } : { id, goal, value, met: ok(value) };
}

export function findRow(rows: ThroughputRow[], workload: string, target: string) {
  return rows.find((r) => r.workload === workload && r.target === target)?.result;
}

function networkGoals(net: NetworkResult | undefined): GoalCheck[] {
  const atMost = (limit: number) => (v: number) => v <= limit;
  const atLeast = (limit: number) => (v: number) => v >= limit;
  return [
    check("kv_read_p99", `<= ${GOALS.KV_READ_ADDED_P99_MS} ms added`, net?.kvRead?.addedP99Ms, atMost(GOALS.KV_READ_ADDED_P99_MS)),
    check("kv_lag_embedded_p99", `<= ${GOALS.KV_LAG_P99_MS} ms`, net?.kvLagEmbedded?.allPops.p99, atMost(GOALS.KV_LAG_P99_MS)),
    check("kv_lag_nats_p99", `<= ${GOALS.KV_LAG_P99_MS} ms`, net?.kvLagNats?.allPops.p99, atMost(GOALS.KV_LAG_P99_MS)),
    check("purge_embedded_p50", `<= ${GOALS.PURGE_P50_MS} ms`, net?.purgeEmbedded?.allPops.p50, atMost(GOALS.PURGE_P50_MS)),
    check("purge_embedded_p99", `<= ${GOALS.PURGE_P99_MS} ms`, net?.purgeEmbedded?.allPops.p99, atMost(GOALS.PURGE_P99_MS)),
    check("purge_nats_p50", `<= ${GOALS.PURGE_P50_MS} ms`, net?.purgeNats?.allPops.p50, atMost(GOALS.PURGE_P50_MS)),
    check("purge_nats_p99", `<= ${GOALS.PURGE_P99_MS} ms`, net?.purgeNats?.allPops.p99, atMost(GOALS.PURGE_P99_MS)),
    check("edge_overhead", `<= ${GOALS.POP_OVERHEAD_MS} ms`, net?.edge?.worstEdgeOverheadP50Ms, atMost(GOALS.POP_OVERHEAD_MS)),
    check("origin_overhead", `<= ${GOALS.POP_OVERHEAD_MS} ms`, net?.edge?.worstOriginOverheadP50Ms, atMost(GOALS.POP_OVERHEAD_MS)),
    check("object_local_p50", `<= ${GOALS.OBJECT_LOCAL_ADDED_P50_MS} ms added`, net?.objectLocal?.addedP50Ms, atMost(GOALS.OBJECT_LOCAL_ADDED_P50_MS)),
    check("object_forward_extra", `<= ${GOALS.OBJECT_FORWARD_EXTRA_MS} ms extra`, net?.objectForward?.extraP50Ms, atMost(GOALS.OBJECT_FORWARD_EXTRA_MS)),
    check("object_socket_local_p50", `<= ${GOALS.OBJECT_LOCAL_ADDED_P50_MS} ms added`, net?.objectSocketLocal?.addedP50Ms, atMost(GOALS.OBJECT_LOCAL_ADDED_P50_MS)),
    check("object_socket_relay_extra", `<= ${GOALS.OBJECT_FORWARD_EXTRA_MS} ms extra`, net?.objectSocketRelay?.extraP50Ms, atMost(GOALS.OBJECT_FORWARD_EXTRA_MS)),
    check("object_write_nats_p50", `<= ${GOALS.OBJECT_WRITE_P50_MS} ms`, net?.objectWriteNats?.write.p50, atMost(GOALS.OBJECT_WRITE_P50_MS)),
    check("object_tx_embedded", `>= ${GOALS.OBJECT_TX_PER_S} tx/s`, net?.objectTxEmbedded?.txPerS, atLeast(GOALS.OBJECT_TX_PER_S)),
    check("object_tx_nats", `>= ${GOALS.OBJECT_TX_PER_S} tx/s`, net?.objectTxNats?.txPerS, atLeast(GOALS.OBJECT_TX_PER_S)),
  ];
}

export function checkGoals(rows: ThroughputRow[], cold?: VergeColdResult, network?: NetworkResult, tracing?: TracingCostResult, deploy?: DeployLatencyResult, platform?: PlatformCostResult): GoalCheck[] {
  const verge = findRow(rows, "hello", "verge");
  const workerd = findRow(rows, "hello", "workerd");
  const rpsRatio = verge && workerd ? verge.rps / workerd.rps : undefined;
  const p99Ratio = verge && workerd ? verge.p99Ms / workerd.p99Ms : undefined;
  return [
    check("hello_rps", `>= ${GOALS.HELLO_RPS_VS_WORKERD}x workerd`, rpsRatio, (v) => v >= GOALS.HELLO_RPS_VS_WORKERD),
    check("hello_p99", "<= workerd", p99Ratio, (v) => v <= 1),
    check("cold_p50", `<= ${GOALS.COLD_P50_MS} ms`, cold?.cold.p50Ms, (v) => v <= GOALS.COLD_P50_MS),
    check("cold_p99", `<= ${GOALS.COLD_P99_MS} ms`, cold?.cold.p99Ms, (v) => v <= GOALS.COLD_P99_MS),
    check("idle_isolate", `<= ${GOALS.IDLE_ISOLATE_MB} MB`, cold?.memory.perIsolateMb, (v) => v <= GOALS.IDLE_ISOLATE_MB),
    ...networkGoals(network),
    check("tracing_cost", `<= ${GOALS.TRACING_COST_PCT}%`, tracing?.costPercent, (v) => v <= GOALS.TRACING_COST_PCT),
    check("platform_cost", `<= ${GOALS.PLATFORM_COST_PCT}%`, platform?.costPercent, (v) => v <= GOALS.PLATFORM_COST_PCT),
    check("deploy_p99", `<= ${GOALS.DEPLOY_P99_MS} ms`, deploy?.allPops.p99, (v) => v <= GOALS.DEPLOY_P99_MS),
  ];
}
