/**
 * @module What a PoP pays per request under `verge start`, in the bench's
 * report: its rows in the main table (the figure in the Verge column, the
 * req/s cost against its goal) and a note on how it was taken.
 */
import type { GoalCheck } from "../goals.js";
import type { GoalCells } from "../tracing/report.js";
import type { PlatformCostResult } from "./cost.js";

const count = (v: number) => Math.round(v).toLocaleString("en-US");

export function platformRows(result: PlatformCostResult | undefined, goal: GoalCells): string[][] {
  const row = (label: string, value: string, id?: GoalCheck["id"]) => [label, value, "-", "-", "-", "-", ...goal(id)];
  return [
    row("hello req/s, bare PoP", result ? count(result.base.rps) : "-"),
    row("hello req/s, PoP under verge start", result ? count(result.variant.rps) : "-"),
    row("verge start cost, % req/s", result ? result.costPercent.toFixed(1) : "-", "platform_cost"),
    row("verge start cost, % CPU per request", result ? result.cpuCostPercent.toFixed(1) : "-"),
  ];
}

export function platformNotes(result: PlatformCostResult): string[] {
  const errors = result.followerErrors.length > 0 ? ` Its follower reported: ${result.followerErrors.join("; ")}.` : "";
  return [
    `verge start cost: hello world on two Verge PoPs in child processes, one bare (as in the throughput rows) and one as verge start runs it (an embedded substrate and a control plane in its process, the worker deployed through the control API, the PoP following it with its traffic report, its tail publisher with no tail open and Prometheus metrics; no JSON line per request, as with --quiet), wrk runs in the order bare, platform, platform, bare, platform, bare, bare, platform. The platform PoP served ${count(result.variant.requests)} requests in its measured runs; with the warm-up, its metrics counted ${count(result.metricsRequests)} and the control plane's traffic reports ${count(result.reportedRequests)}.${errors}`,
    `verge start cost, CPU per request (the PoP process's user + system time from /proc): ${result.base.cpuUs.toFixed(1)} µs bare, ${result.variant.cpuUs.toFixed(1)} µs under verge start. Runs (req/s, CPU µs per request): ${result.runs.map((r) => `${r.side === "base" ? "bare" : "platform"} ${Math.round(r.rps)} ${r.cpuUs.toFixed(1)}`).join(", ")}.`,
  ];
}
