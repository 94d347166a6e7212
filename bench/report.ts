/** @module The tables the bench prints: figures per target, ratios of Verge to its peers and the goals next to them, then the network part's edge-versus-origin table. */
import type { VergeColdResult } from "./cold-start.js";
import type { WorkerdColdResult } from "./cold-start-workerd.js";
import type { DeployLatencyResult } from "./deploy/latency.js";
import { deployRows } from "./deploy/report.js";
import { findRow, type GoalCheck } from "./goals.js";
import type { NetworkResult } from "./network/index.js";
import { edgeRows, networkRows } from "./network/report.js";
import type { BenchOptions } from "./options.js";
import type { PlatformCostResult } from "./platform/cost.js";
import { platformRows } from "./platform/report.js";
import type { ThroughputRow } from "./throughput.js";
import type { TracingCostResult } from "./tracing/cost.js";
import { tracingRows } from "./tracing/report.js";

export interface ReportInput {
  header: string;
  /** The parts that ran: only their rows are printed. */
  parts: BenchOptions["parts"];
  throughput: ThroughputRow[];
  vergeCold?: VergeColdResult;
  workerdCold?: WorkerdColdResult;
  network?: NetworkResult;
  tracing?: TracingCostResult;
  platform?: PlatformCostResult;
  deploy?: DeployLatencyResult;
  goals: GoalCheck[];
  notes: string[];
}

type Cell = number | undefined;

const fmt = {
  rps: (v: Cell) => (v === undefined ? "-" : Math.round(v).toLocaleString("en-US")),
  ms: (v: Cell) => (v === undefined ? "-" : v.toFixed(2)),
  mb: (v: Cell) => (v === undefined ? "-" : v.toFixed(2)),
  ratio: (a: Cell, b: Cell) => (a === undefined || b === undefined || b === 0 ? "-" : `${(a / b).toFixed(2)}x`),
};

function goalCells(goals: GoalCheck[], id?: GoalCheck["id"]): [string, string] {
  const goal = id && goals.find((g) => g.id === id);
  if (!goal) return ["", ""];
  return [goal.goal, goal.met === undefined ? "n/a" : goal.met ? "met" : "MISSED"];
}

function throughputLines(rows: ThroughputRow[], goals: GoalCheck[]): string[][] {
  const lines: string[][] = [];
  for (const workload of ["hello", "echo"] as const) {
    const [v, w, n] = (["verge", "workerd", "node"] as const).map((t) => findRow(rows, workload, t));
    const metrics = [
      { label: "req/s", pick: (r: typeof v) => r?.rps, format: fmt.rps, goal: workload === "hello" ? ("hello_rps" as const) : undefined },
      { label: "p50 ms", pick: (r: typeof v) => r?.p50Ms, format: fmt.ms, goal: undefined },
      { label: "p99 ms", pick: (r: typeof v) => r?.p99Ms, format: fmt.ms, goal: workload === "hello" ? ("hello_p99" as const) : undefined },
    ];
    for (const m of metrics) {
      lines.push([`${workload} ${m.label}`, m.format(m.pick(v)), m.format(m.pick(w)), m.format(m.pick(n)), fmt.ratio(m.pick(v), m.pick(w)), fmt.ratio(m.pick(v), m.pick(n)), ...goalCells(goals, m.goal)]);
    }
  }
  return lines;
}

function coldLines(input: ReportInput): string[][] {
  const v = input.vergeCold;
  const w = input.workerdCold;
  const count = v?.cold.workers ?? w?.firstRequest.workers ?? 0;
  const wMark = (text: string) => (w ? `${text}*` : text);
  return [
    [`cold start p50 ms (${count})`, fmt.ms(v?.cold.p50Ms), wMark(fmt.ms(w?.firstRequest.p50Ms)), "-", fmt.ratio(v?.cold.p50Ms, w?.firstRequest.p50Ms), "-", ...goalCells(input.goals, "cold_p50")],
    [`cold start p99 ms (${count})`, fmt.ms(v?.cold.p99Ms), wMark(fmt.ms(w?.firstRequest.p99Ms)), "-", fmt.ratio(v?.cold.p99Ms, w?.firstRequest.p99Ms), "-", ...goalCells(input.goals, "cold_p99")],
    ["idle isolate MB (RSS)", fmt.mb(v?.memory.perIsolateMb), fmt.mb(w?.perIsolateMb), "-", fmt.ratio(v?.memory.perIsolateMb, w?.perIsolateMb), "-", ...goalCells(input.goals, "idle_isolate")],
    ["isolate V8 heap MB", fmt.mb(v?.memory.heapPerIsolateMb), "-", "-", "-", "-", "", ""],
  ];
}

/** Columns padded to one width each: text columns (`left`) to the left, figures to the right. */
function table(rows: string[][], left: (column: number) => boolean = (c) => c === 0 || c >= 6): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]) => r.map((cell, c) => (left(c) ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ").trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [line(rows[0]), rule, ...rows.slice(1).map(line)].join("\n");
}

/** The whole report: header, table, the edge-versus-origin table when the network part ran, then notes. */
export function renderReport(input: ReportInput): string {
  const head = ["", "Verge", "workerd", "node:http", "Verge/workerd", "Verge/node", "goal", ""];
  const rows = [head];
  if (input.parts.throughput) rows.push(...throughputLines(input.throughput, input.goals));
  if (input.parts.cold) rows.push(...coldLines(input));
  if (input.network) rows.push(...networkRows(input.network, (id) => goalCells(input.goals, id)));
  if (input.parts.tracing) rows.push(...tracingRows(input.tracing, (id) => goalCells(input.goals, id)));
  if (input.parts.platform) rows.push(...platformRows(input.platform, (id) => goalCells(input.goals, id)));
  if (input.parts.deploy) rows.push(...deployRows(input.deploy, (id) => goalCells(input.goals, id)));
  const edge = input.network && edgeRows(input.network);
  const edgeTable = edge ? ["", "Edge versus origin, by region (p50 ms; a client in each region at its own region's PoP):", "", table(edge, (c) => c === 0)] : [];
  return [input.header, "", table(rows), ...edgeTable, "", ...input.notes.map((n) => `- ${n}`), ""].join("\n");
}
