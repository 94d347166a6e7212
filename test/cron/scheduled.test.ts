/**
 * @module The `scheduled` event on a real PoP's runtime: the controller's
 * fields, ctx.waitUntil, console lines on the invocation, a thrown error,
 * the CPU limit, a worker without a scheduled handler, and a worker with
 * only one.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ScheduledStatus } from "../../src/runtime/bridge/protocol.js";
import { runScheduled } from "../../src/cron/index.js";
import type { WorkerRuntime } from "../../src/runtime/worker-runtime.js";
import { startPopForDirectory, type TestPop } from "../support/pop.js";
import { startCounter, type Counter } from "./counter.js";

const CRON_WORKER = "test/fixtures/cron-worker";
const FETCH_ONLY = "test/fixtures/cron-worker/fetch-only";
const LISTENER = "test/fixtures/cron-worker/listener";
const T = Date.UTC(2026, 0, 1, 12, 30, 0);

describe("scheduled events", () => {
  let counter: Counter;
  let plan = "ok";
  let pop: TestPop;
  let runtime: WorkerRuntime;

  before(async () => {
    counter = await startCounter(() => plan);
    pop = await startPopForDirectory(CRON_WORKER, { env: { COUNTER_URL: counter.url } });
    runtime = pop.pop.workers.get("cron-worker")!;
  });
  after(async () => {
    await pop.close();
    await counter.close();
  });

  it("gives the handler the cron and scheduled time, and keeps its console lines on the invocation", async () => {
    plan = "ok";
    const started = runtime.scheduled({ cron: "30 12 * * *", scheduledTime: T });
    const invocation = started instanceof Promise ? await started : started;
    const outcome = await invocation.outcome;
    assert.ok(outcome.ok && outcome.response.status === ScheduledStatus.Done, JSON.stringify(outcome));
    assert.deepEqual(counter.ticks.at(-1), { cron: "30 12 * * *", scheduledTime: T, type: "scheduled", noRetry: "function" });
    assert.deepEqual(invocation.logs, [{ level: "log", message: `tick ${T}: ok` }]);
    invocation.responseFinished();
  });

  it("waits for ctx.waitUntil work before the run ends", async () => {
    plan = "wait";
    const run = await runScheduled(runtime, { cron: "* * * * *", scheduledTime: T + 1000 });
    assert.deepEqual(run.outcome, { ok: true });
    assert.deepEqual(counter.waited, [T + 1000]);
    assert.deepEqual(
      run.logs.map((line) => line.message),
      [`tick ${T + 1000}: wait`, `waited ${T + 1000}`],
    );
    assert.ok(run.wallMs >= 50, `the waitUntil work sleeps 50 ms; the run took ${run.wallMs} ms`);
  });

  it("reports a thrown error as worker_threw_exception with the stack in the logs", async () => {
    plan = "throw";
    const run = await runScheduled(runtime, { cron: "* * * * *", scheduledTime: T + 2000 });
    assert.equal(run.outcome.ok, false);
    assert.equal(!run.outcome.ok && run.outcome.code, "worker_threw_exception");
    assert.ok(run.logs.some((line) => line.level === "error" && line.message.includes(`Uncaught Error: planned failure at ${T + 2000}`)), JSON.stringify(run.logs));
  });

  it("stops a handler over the CPU limit, and the next event gets a fresh isolate", async () => {
    plan = "spin";
    const run = await runScheduled(runtime, { cron: "* * * * *", scheduledTime: T + 3000 });
    assert.deepEqual(run.outcome, { ok: false, code: "worker_exceeded_cpu", message: "Worker exceeded its CPU time limit of 50 ms" });
    assert.ok(run.cpuMs >= 50, `charged ${run.cpuMs} ms`);
    plan = "ok";
    const next = await runScheduled(runtime, { cron: "* * * * *", scheduledTime: T + 4000 });
    assert.deepEqual(next.outcome, { ok: true });
  });

  it("starts a worker that has only a scheduled handler; a fetch to it fails naming the missing handler", async () => {
    const response = await pop.fetch("/");
    assert.equal(response.status, 500);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, "worker_threw_exception");
    assert.ok(pop.logs.at(-1)?.logs.some((line) => line.message.includes("The worker has no fetch handler")), JSON.stringify(pop.logs.at(-1)?.logs));
  });

  it("runs the service-worker form: a \"scheduled\" listener, whose waitUntil work is the outcome", async () => {
    const listener = await startPopForDirectory(LISTENER);
    try {
      const listenerRuntime = listener.pop.workers.get("cron-listener")!;
      const run = await runScheduled(listenerRuntime, { cron: "0 * * * *", scheduledTime: T });
      assert.deepEqual(run.outcome, { ok: true });
      assert.deepEqual(run.logs, [{ level: "log", message: `scheduled 0 * * * * ${T} function` }]);
      const failed = await runScheduled(listenerRuntime, { cron: "59 * * * *", scheduledTime: T });
      assert.equal(!failed.outcome.ok && failed.outcome.code, "worker_threw_exception");
      assert.equal(failed.logs.length, 2, JSON.stringify(failed.logs));
      assert.match(failed.logs[1].message, new RegExp(`^Uncaught Error: failed at ${T}`));
    } finally {
      await listener.close();
    }
  });

  it("reports a worker without a scheduled handler as no_scheduled_handler, naming the worker", async () => {
    const fetchOnly = await startPopForDirectory(FETCH_ONLY);
    try {
      const run = await runScheduled(fetchOnly.pop.workers.get("fetch-only")!, { cron: "* * * * *", scheduledTime: T });
      assert.equal(run.outcome.ok, false);
      assert.equal(!run.outcome.ok && run.outcome.code, "no_scheduled_handler");
      assert.match(!run.outcome.ok ? run.outcome.message : "", /Worker "fetch-only" has no scheduled handler/);
      assert.equal(await (await fetchOnly.fetch("/")).text(), "fetch only");
    } finally {
      await fetchOnly.close();
    }
  });
});
