/**
 * @module Test support for the cron tests: a loopback server the fixture
 * worker (test/fixtures/cron-worker) reports each scheduled run to, and whose
 * answer tells it what to do ("ok", "throw", "spin", "wait").
 */
import { startOrigin } from "../support/origin.js";

/** What the worker's handler saw: its controller's fields. */
export interface TickReport {
  cron: string;
  scheduledTime: number;
  type: string;
  /** `typeof controller.noRetry`. */
  noRetry: string;
}

export interface Counter {
  url: string;
  ticks: TickReport[];
  /** Scheduled times whose waitUntil work reported in. */
  waited: number[];
  close(): Promise<void>;
}

/**
 * @example const counter = await startCounter((tick, index) => (index === 0 ? "throw" : "ok"));
 */
export async function startCounter(plan: (tick: TickReport, index: number) => string = () => "ok"): Promise<Counter> {
  const ticks: TickReport[] = [];
  const waited: number[] = [];
  const origin = await startOrigin((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      if (req.url === "/tick") {
        const tick = JSON.parse(body) as TickReport;
        ticks.push(tick);
        res.end(plan(tick, ticks.length - 1));
      } else if (req.url === "/waited") {
        waited.push(Number(body));
        res.end("ok");
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
  });
  return { url: origin.url, ticks, waited, close: () => origin.close() };
}
