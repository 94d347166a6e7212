/**
 * @module A line per request. For people (`verge dev`): method, path,
 * status, wall and CPU time, then the worker's console output, with the PoP
 * in brackets when there are several. For log pipelines (`verge start`,
 * `verge pop --log json`): the request's record as one JSON object.
 */
import type { CronRunReport } from "../cron/index.js";
import type { RequestLog } from "../pop/server.js";

export function printRequest(log: RequestLog, withPop = false): void {
  const outcome = log.outcome === "ok" ? "" : ` ${log.outcome}`;
  const pop = withPop ? `[${log.pop}] ` : "";
  process.stdout.write(`${pop}${log.method} ${log.path} ${log.status} ${log.wallMs.toFixed(1)}ms (cpu ${log.cpuMs.toFixed(1)}ms)${outcome}\n`);
  for (const line of log.logs) process.stdout.write(`  ${line.level === "log" ? "" : `[${line.level}] `}${line.message.replace(/\n/g, "\n  ")}\n`);
}

/** The record as one JSON line: pop, worker, version, ray, status, wall and CPU ms, outcome, and the console output. */
export function printRequestJson(log: RequestLog): void {
  process.stdout.write(`${JSON.stringify({ type: "request", ...log, at: new Date(log.at).toISOString(), wallMs: round(log.wallMs), cpuMs: round(log.cpuMs) })}\n`);
}

/** A cron run as one JSON line, shaped as a request's: `outcome` is `ok` or the failure's code, with its message in `error`. */
export function cronLine(run: CronRunReport): string {
  const { outcome, ...rest } = run;
  const failure = outcome.ok ? {} : { error: outcome.message };
  return JSON.stringify({ type: "cron", ...rest, outcome: outcome.ok ? "ok" : outcome.code, ...failure, at: new Date(run.scheduledTime).toISOString(), wallMs: round(run.wallMs), cpuMs: round(run.cpuMs) });
}

const round = (ms: number) => Math.round(ms * 100) / 100;
