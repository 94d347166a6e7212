/**
 * @module Request metrics of a PoP, fed by its request records: requests and
 * errors by worker, version, status class and outcome, and histograms of CPU
 * and wall time. Requests no worker took (no route, a malformed request, the
 * dev control areas) have empty `worker` and `version` labels.
 */
import { Counter, Histogram, type Registry } from "prom-client";
import type { RequestLog } from "../../pop/server.js";
import { Buckets } from "./buckets.js";

/** Outcomes that are not errors: a worker's answer, an accepted WebSocket, a dev control call. */
const SUCCESS_OUTCOMES = new Set(["ok", "websocket", "admin"]);

/** The stable code of an outcome: `worker_threw_exception (passed through to the origin)` → `worker_threw_exception`. */
export function outcomeCode(outcome: string): string {
  return /^[a-z0-9_]+/.exec(outcome)?.[0] ?? "other";
}

/** An error: a 5xx answer, or any outcome but a worker's answer (a platform error, a pass-through, a failed stream). */
export function isError(log: Pick<RequestLog, "status" | "outcome">): boolean {
  return log.status >= 500 || !SUCCESS_OUTCOMES.has(outcomeCode(log.outcome));
}

/** Registers the request metrics in `registry`; answers the function to call with every request record. */
export function requestMetrics(registry: Registry): (log: RequestLog) => void {
  const registers = [registry];
  const requests = new Counter({ name: "verge_requests_total", help: "Requests answered by the PoP", labelNames: ["worker", "version", "status_class", "outcome"] as const, registers });
  const errors = new Counter({ name: "verge_request_errors_total", help: "Requests answered with a 5xx or an outcome other than ok", labelNames: ["worker", "version", "outcome"] as const, registers });
  const cpu = new Histogram({ name: "verge_request_cpu_seconds", help: "CPU time of the worker's isolate per request", labelNames: ["worker", "version"] as const, buckets: [...Buckets.cpuSeconds], registers });
  const wall = new Histogram({ name: "verge_request_duration_seconds", help: "Wall time from a request's arrival to the end of its response", labelNames: ["worker", "version"] as const, buckets: [...Buckets.wallSeconds], registers });
  return (log) => {
    const worker = log.worker ?? "";
    const version = log.version ?? "";
    const outcome = outcomeCode(log.outcome);
    requests.inc({ worker, version, status_class: `${Math.floor(log.status / 100)}xx`, outcome });
    if (isError(log)) errors.inc({ worker, version, outcome });
    if (log.worker !== null) cpu.observe({ worker, version }, log.cpuMs / 1000);
    wall.observe({ worker, version }, log.wallMs / 1000);
  };
}
