/**
 * @module Request metrics of a PoP, fed by its request records: requests and
 * errors by worker, version, status class and outcome, and histograms of CPU
 * and wall time. Requests no worker took (no route, a malformed request, the
 * dev control areas) have empty `worker` and `version` labels.
 */
import type { Registry } from "prom-client";
import type { RequestLog } from "../../pop/server.js";
import { Buckets } from "./buckets.js";
import { TalliedCounter, TalliedHistogram, type CounterSeries, type HistogramSeries } from "./tallied.js";

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

/** The series one kind of request adds to. */
interface RequestSeries {
  requests: CounterSeries;
  errors: CounterSeries | null;
  cpu: HistogramSeries | null;
  wall: HistogramSeries;
}

/** Registers the request metrics in `registry`; answers the function to call with every request record. */
export function requestMetrics(registry: Registry): (log: RequestLog) => void {
  const registers = [registry];
  const requests = new TalliedCounter({ name: "verge_requests_total", help: "Requests answered by the PoP", registers });
  const errors = new TalliedCounter({ name: "verge_request_errors_total", help: "Requests answered with a 5xx or an outcome other than ok", registers });
  const cpu = new TalliedHistogram({ name: "verge_request_cpu_seconds", help: "CPU time of the worker's isolate per request", buckets: Buckets.cpuSeconds, registers });
  const wall = new TalliedHistogram({ name: "verge_request_duration_seconds", help: "Wall time from a request's arrival to the end of its response", buckets: Buckets.wallSeconds, registers });
  // Labels are worked out once per kind of request; a request then finds its series by one string key.
  const kinds = new Map<string, RequestSeries>();
  const kindOf = (log: RequestLog, statusClass: number): RequestSeries => {
    const worker = log.worker ?? "";
    const version = log.version ?? "";
    const outcome = outcomeCode(log.outcome);
    return {
      requests: requests.of({ worker, version, status_class: `${statusClass}xx`, outcome }),
      errors: isError(log) ? errors.of({ worker, version, outcome }) : null,
      cpu: log.worker !== null ? cpu.of({ worker, version }) : null,
      wall: wall.of({ worker, version }),
    };
  };
  return (log) => {
    const statusClass = Math.floor(log.status / 100);
    const key = `${log.worker}\0${log.version}\0${statusClass}\0${log.outcome}`;
    let kind = kinds.get(key);
    if (!kind) kinds.set(key, (kind = kindOf(log, statusClass)));
    kind.requests.value++;
    if (kind.errors) kind.errors.value++;
    kind.cpu?.observe(log.cpuMs / 1000);
    kind.wall.observe(log.wallMs / 1000);
  };
}
