/**
 * @module The dev server's line per request: method, path, status, wall and
 * CPU time, then the worker's console output. With several PoPs, each line
 * starts with the PoP's name in brackets.
 */
import type { RequestLog } from "../pop/server.js";

export function printRequest(log: RequestLog, withPop = false): void {
  const outcome = log.outcome === "ok" ? "" : ` ${log.outcome}`;
  const pop = withPop ? `[${log.pop}] ` : "";
  process.stdout.write(`${pop}${log.method} ${log.path} ${log.status} ${log.wallMs.toFixed(1)}ms (cpu ${log.cpuMs.toFixed(1)}ms)${outcome}\n`);
  for (const line of log.logs) process.stdout.write(`  ${line.level === "log" ? "" : `[${line.level}] `}${line.message.replace(/\n/g, "\n  ")}\n`);
}
