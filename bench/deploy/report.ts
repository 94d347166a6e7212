/** @module Deploy latency in the bench's report: its rows in the main table (the figure in the Verge column, the goal beside it) and notes on how it was taken. */
import type { GoalCheck } from "../goals.js";
import { DEPLOY_POPS, type DeployLatencyResult } from "./latency.js";

type GoalCells = (id?: GoalCheck["id"]) => [string, string];

const ms = (v: number | undefined) => (v === undefined ? "-" : v.toFixed(1));

export function deployRows(result: DeployLatencyResult | undefined, goal: GoalCells): string[][] {
  const row = (label: string, value: string, id?: GoalCheck["id"]) => [label, value, "-", "-", "-", "-", ...goal(id)];
  const count = result ? ` (${result.deployments})` : "";
  return [
    row(`deploy to all PoPs serving p50 ms${count}`, ms(result?.allPops.p50)),
    row(`deploy to all PoPs serving p99 ms${count}`, ms(result?.allPops.p99), "deploy_p99"),
    row("deploy to all PoPs serving max ms", ms(result?.allPops.max)),
    ...(result?.pops ?? DEPLOY_POPS).map((pop) => row(`deploy to ${pop} serving p50 ms`, ms(result?.perPop[pop]?.p50))),
  ];
}

export function deployNotes(result: DeployLatencyResult): string[] {
  const model = result.pops.map((pop) => `${pop} ${result.oneWayMs[pop].toFixed(1)} ms one way, ${result.modelMs[pop].toFixed(1)} ms on the deployment's path`).join("; ");
  const notes = [
    `Deploy latency: ${result.pops.join(", ")} in the bench process following a control plane on one embedded substrate at latency scale 1 (store and control plane in virginia); ${result.deployments} versions of a one-line worker deployed in turn after one unmeasured, each timed from the deploy call's return (the call itself: p50 ${ms(result.call.p50)} ms, max ${ms(result.call.max)} ms) until every PoP answers the new version's body, each PoP asked every ${result.pollIntervalMs} ms.`,
    `Deploy latency, the latency model from virginia: ${model} (the change reaches the PoP, then it reads the version's record and its code from the store in one round trip).`,
  ];
  if (result.followerErrors.length > 0) notes.push(`Deploy latency, the PoPs reported: ${result.followerErrors.slice(0, 5).join("; ")}`);
  return notes;
}
