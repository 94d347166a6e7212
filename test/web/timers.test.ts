/** @module Timers, queueMicrotask and the frozen clock (Date.now, performance.now) inside an isolate. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startTestPop, type TestPop } from "../support/pop.js";
import { checksWorker, pathRoute, runChecks, valueOf, type CheckResult } from "./checks.js";

const sleep = `const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));`;

const checks = `{
  args: async () => new Promise((resolve) => setTimeout((a, b, c) => resolve([a, b, c]), 1, "x", 2, { y: 3 })),
  orderByDelay: async () => {
    const log = [];
    for (const [name, ms] of [["30", 30], ["10", 10], ["0a", 0], ["20", 20], ["0b", 0], ["neg", -5], ["str", "15"]]) setTimeout(() => log.push(name), ms);
    await sleep(50);
    return log;
  },
  clearFromCallback: async () => {
    const log = [];
    const late = setTimeout(() => log.push("late"), 20);
    setTimeout(() => { log.push("early"); clearTimeout(late); }, 5);
    let n = 0;
    const interval = setInterval((tag) => { log.push(tag + ++n); if (n === 3) clearInterval(interval); }, 2, "tick");
    await sleep(40);
    return log;
  },
  nested: async () => {
    const log = [];
    await new Promise((resolve) => setTimeout(() => {
      log.push("outer");
      setTimeout(() => { log.push("inner"); setTimeout(() => { log.push("innermost"); resolve(); }, 0); }, 1);
      Promise.resolve().then(() => log.push("outer microtask"));
    }, 1));
    return log;
  },
  ids: async () => {
    const a = setTimeout(() => {}, 1000);
    const b = setInterval(() => {}, 1000);
    clearTimeout(a);
    clearInterval(b);
    clearTimeout(undefined);
    clearTimeout(123456);
    return [Number.isInteger(a) && a > 0, b > a];
  },
  microtasks: async () => {
    const log = [];
    setTimeout(() => log.push("timeout"), 0);
    queueMicrotask(() => log.push("microtask 1"));
    Promise.resolve().then(() => log.push("promise"));
    queueMicrotask(() => { log.push("microtask 2"); queueMicrotask(() => log.push("nested microtask")); });
    log.push("sync");
    await sleep(5);
    return log;
  },
  microtaskThrows: async () => {
    queueMicrotask(() => { throw new Error("microtask boom"); });
    let ran = false;
    queueMicrotask(() => { ran = true; });
    await sleep(1);
    return ran;
  },
  badCallbacks: async () => [await errorOf(() => setTimeout("code", 1)), await errorOf(() => queueMicrotask(null))].map((e) => e.name),
  clockAdvancesAcrossTimers: async () => {
    const d0 = Date.now(), p0 = performance.now(), n0 = new Date().getTime();
    await sleep(20);
    return { date: Date.now() - d0, perf: performance.now() - p0, newDate: new Date().getTime() - n0 };
  },
  timeOrigin: async () => ({ origin: performance.timeOrigin, now: performance.now(), date: Date.now(), json: performance.toJSON().timeOrigin === performance.timeOrigin }),
}`;

/** A route that burns CPU in a loop and reports what the clocks said before and after. */
const busy = `
export default {
  async fetch() {
    const d0 = Date.now(), p0 = performance.now(), n0 = new Date().valueOf();
    let x = 1;
    let iterations = 0;
    for (; iterations < 4_000_000; iterations++) x = (x * 31 + iterations) % 1000003;
    return Response.json({ date: Date.now() - d0, perf: performance.now() - p0, newDate: new Date().valueOf() - n0, iterations, x });
  },
};`;

let pop: TestPop;
let results: Record<string, CheckResult>;
before(async () => {
  pop = await startTestPop([
    { name: "timers", source: checksWorker(checks, sleep), routes: pathRoute("checks") },
    { name: "busy", source: busy, routes: pathRoute("busy"), limits: { cpuMs: 2000 } },
  ]);
  results = await runChecks(pop, "/checks");
});
after(() => pop.close());

test("setTimeout passes its extra arguments", () => {
  assert.deepEqual(valueOf(results, "args"), ["x", 2, { y: 3 }]);
});

test("timers fire in order of delay, equal delays in order of creation; negative and string delays are coerced", () => {
  assert.deepEqual(valueOf(results, "orderByDelay"), ["0a", "0b", "neg", "10", "str", "20", "30"]);
});

test("a timer cleared from inside another callback never fires; an interval clears itself", () => {
  const log = valueOf(results, "clearFromCallback") as string[];
  assert.ok(!log.includes("late"), JSON.stringify(log));
  assert.deepEqual(log.filter((entry) => entry.startsWith("tick")), ["tick1", "tick2", "tick3"]);
  assert.ok(log.includes("early"));
});

test("nested timers run, with microtasks drained between them", () => {
  assert.deepEqual(valueOf(results, "nested"), ["outer", "outer microtask", "inner", "innermost"]);
  assert.deepEqual(valueOf(results, "ids"), [true, true]);
});

test("queueMicrotask runs after the current task, in order with promise jobs, before timers", () => {
  assert.deepEqual(valueOf(results, "microtasks"), ["sync", "microtask 1", "promise", "microtask 2", "nested microtask", "timeout"]);
  assert.deepEqual(valueOf(results, "badCallbacks"), ["TypeError", "TypeError"]);
});

test("an exception in a microtask is logged and the next microtask still runs", () => {
  assert.equal(valueOf(results, "microtaskThrows"), true);
  const line = pop.logs.flatMap((log) => log.logs).find((entry) => entry.message.includes("microtask boom"));
  assert.ok(line, "the microtask's exception was not logged");
  assert.equal(line.level, "error");
  assert.match(line.message, /^Uncaught Error: microtask boom/);
});

test("Date.now(), new Date() and performance.now() do not advance during synchronous work", async () => {
  const res = await pop.fetch("/busy");
  const body = (await res.json()) as Record<string, number>;
  const cpuMs = pop.logs.find((log) => log.worker === "busy")?.cpuMs ?? 0;
  assert.ok(cpuMs >= 5, `the loop should take at least 5 ms of CPU: took ${cpuMs} ms`);
  assert.equal(body.iterations, 4_000_000);
  assert.deepEqual([body.date, body.perf, body.newDate], [0, 0, 0]);
});

test("the clock advances across a setTimeout", () => {
  const { date, perf, newDate } = valueOf(results, "clockAdvancesAcrossTimers") as Record<string, number>;
  for (const elapsed of [date, perf, newDate]) assert.ok(elapsed >= 15 && elapsed < 1000, `elapsed ${elapsed} ms`);
});

test("performance.timeOrigin is the wall-clock time of the isolate's start, and timeOrigin + now() is Date.now()", () => {
  const { origin, now, date, json } = valueOf(results, "timeOrigin") as { origin: number; now: number; date: number; json: boolean };
  assert.ok(Math.abs(origin - Date.now()) < 60_000, `timeOrigin ${origin}`);
  assert.ok(now >= 0);
  assert.ok(Math.abs(origin + now - date) < 1, `${origin} + ${now} != ${date}`);
  assert.equal(json, true);
});
