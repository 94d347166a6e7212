/** @module The tracing cost in the bench's report: its rows in the main table (the figure in the Verge column, the goal beside it) and a note on how it was taken. */
import type { GoalCheck } from "../goals.js";
import type { TracingCostResult } from "./cost.js";

/** The goal and whether it is met, for a row of the table. */
export type GoalCells = (id?: GoalCheck["id"]) => [string, string];

const perSecond = (v: number) => Math.round(v).toLocaleString("en-US");

export function tracingRows(result: TracingCostResult | undefined, goal: GoalCells): string[][] {
  const percent = `${(result?.sampleRatio ?? 0) * 100}%`;
  const row = (label: string, value: string, id?: GoalCheck["id"]) => [label, value, "-", "-", "-", "-", ...goal(id)];
  return [
    row("hello req/s, tracing off", result ? perSecond(result.offRps) : "-"),
    row(`hello req/s, tracing at ${percent}`, result ? perSecond(result.onRps) : "-"),
    row(`tracing cost at ${percent} sampling, % req/s`, result ? result.costPercent.toFixed(1) : "-", "tracing_cost"),
    row(`tracing cost at ${percent} sampling, % CPU per request`, result ? result.cpuCostPercent.toFixed(1) : "-"),
  ];
}

export function tracingNotes(result: TracingCostResult): string[] {
  return [
    `Tracing cost: hello world on two Verge PoPs in child processes, tracing off and tracing on at ${result.sampleRatio * 100}% sampling exporting OTLP/HTTP JSON to a loopback collector, wrk runs in the order off, on, on, off, on, off, off, on; the PoP with tracing on served ${result.onRequests.toLocaleString("en-US")} requests and its collector received ${result.spansExported.toLocaleString("en-US")} spans.`,
    `Tracing cost, CPU per request (the PoP process's user + system time from /proc): ${result.offCpuUs.toFixed(1)} µs off, ${result.onCpuUs.toFixed(1)} µs on. Runs (req/s, CPU µs per request): ${result.runs.map((r) => `${r.tracing} ${Math.round(r.rps)} ${r.cpuUs.toFixed(1)}`).join(", ")}.`,
  ];
}
