/** @module The performance goals from the issue, checked against the figures of one run. */
import type { VergeColdResult } from "./cold-start.js";
import type { ThroughputRow } from "./throughput.js";

/** One goal: what it asks, the figure it is checked on, and whether this run met it (undefined: no figure). */
export interface GoalCheck {
  id: "hello_rps" | "hello_p99" | "cold_p50" | "cold_p99" | "idle_isolate";
  goal: string;
  value?: number;
  met?: boolean;
}

export const GOALS = {
  HELLO_RPS_VS_WORKERD: 1.5,
  COLD_P50_MS: 5,
  COLD_P99_MS: 10,
  IDLE_ISOLATE_MB: 3,
} as const;

function check(id: GoalCheck["id"], goal: string, value: number | undefined, ok: (v: number) => boolean): GoalCheck {
  return value === undefined || Number.isNaN(value) ? { id, goal } : { id, goal, value, met: ok(value) };
}

export function findRow(rows: ThroughputRow[], workload: string, target: string) {
  return rows.find((r) => r.workload === workload && r.target === target)?.result;
}

export function checkGoals(rows: ThroughputRow[], cold?: VergeColdResult): GoalCheck[] {
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
  ];
}
