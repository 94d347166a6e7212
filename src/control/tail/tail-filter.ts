/**
 * @module The filters of `GET /v1/workers/:worker/tail` and `verge tail`:
 * status, method, path prefix, search text, sampling. Parsed once per tail;
 * a bad value is refused naming the parameter and the value.
 */
import type { RequestLog } from "../../pop/server.js";
import { ControlError } from "../errors.js";

export interface TailFilter {
  matches(log: RequestLog): boolean;
}

const METHOD = /^[A-Z]{1,16}$/;

export function parseTailFilter(query: URLSearchParams): TailFilter {
  const status = query.get("status");
  const statusTests = status === null ? [] : status.split(",").map((part) => statusTest(part.trim(), status));
  const methodValue = query.get("method");
  const methods = methodValue === null ? null : new Set(methodValue.split(",").map((m) => m.trim().toUpperCase()));
  if (methods && [...methods].some((m) => !METHOD.test(m))) throw new ControlError("bad_request", `tail: method is a comma-separated list of HTTP methods: received ${JSON.stringify(methodValue)}`);
  const path = query.get("path");
  if (path !== null && !path.startsWith("/")) throw new ControlError("bad_request", `tail: path is a prefix starting with "/": received ${JSON.stringify(path)}`);
  const search = query.get("search")?.toLowerCase() || null;
  const sampleValue = query.get("sample");
  const sample = sampleValue === null ? 1 : Number(sampleValue);
  if (sampleValue !== null && (sampleValue.trim() === "" || !(sample >= 0 && sample <= 1))) throw new ControlError("bad_request", `tail: sample is a number from 0 to 1: received ${JSON.stringify(sampleValue)}`);
  return {
    matches(log) {
      if (statusTests.length > 0 && !statusTests.some((test) => test(log))) return false;
      if (methods && !methods.has(log.method)) return false;
      if (path !== null && !log.path.startsWith(path)) return false;
      if (search !== null && !log.path.toLowerCase().includes(search) && !log.logs.some((line) => line.message.toLowerCase().includes(search))) return false;
      return sample >= 1 || Math.random() < sample;
    },
  };
}

function statusTest(part: string, whole: string): (log: RequestLog) => boolean {
  if (part === "error") return (log) => log.outcome !== "ok" || log.status >= 500;
  if (/^[1-5]xx$/.test(part)) {
    const hundred = Number(part[0]);
    return (log) => Math.floor(log.status / 100) === hundred;
  }
  if (/^[1-5]\d\d$/.test(part)) {
    const exact = Number(part);
    return (log) => log.status === exact;
  }
  throw new ControlError("bad_request", `tail: status is a list of codes (200), classes (5xx) or "error": received ${JSON.stringify(whole)}`);
}
