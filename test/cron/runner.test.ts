/**
 * @module CronRunners at three embedded PoPs sharing one substrate: every
 * tick of an every-second cron runs exactly once network-wide (across a
 * redeploy too), a failed run does not stop the next, a worker without a
 * scheduled handler is reported, and bad jobs are refused.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CronError, CronRunner, type CronRunReport } from "../../src/cron/index.js";
import { startNetwork, until, type Network } from "../support/network.js";
import { startPopForDirectory } from "../support/pop.js";
import { startCounter, type Counter } from "./counter.js";
import { assertExactlyOnce, startRunners, type RunnerSite } from "./harness.js";

const CRON_WORKER = "test/fixtures/cron-worker";
const EVERY_SECOND = "* * * * * *";
const POPS = ["tokyo", "frankfurt", "virginia"];

describe("cron runners on three PoPs", () => {
  let counter: Counter;
  let plan: (index: number) => string = () => "ok";
  let net: Network;
  let sites: RunnerSite[];

  before(async () => {
    counter = await startCounter((_tick, index) => plan(index));
    net = await startNetwork(CRON_WORKER, POPS, 0.05, { COUNTER_URL: counter.url }, "virginia", { egress: { allowLocal: true } });
    sites = POPS.map((name) => ({ substrate: net.pops[name].substrate!, runtime: net.pops[name].workers.get("cron-worker")! }));
  });
  after(async () => {
    await net.close();
    await counter.close();
  });

  it("runs every tick exactly once network-wide, also across a redeploy", async () => {
    plan = () => "ok";
    const seen = counter.ticks.length;
    const runners = startRunners(sites, [EVERY_SECOND], "v1");
    try {
      await runners.runsReach(2, 5000);
      runners.deploy("v2");
      await runners.runsReach(5, 6000);
    } finally {
      await runners.close();
    }
    const ticks = assertExactlyOnce(runners, 1000);
    assert.ok(ticks.length >= 5, `${ticks.length} ticks`);
    const handled = counter.ticks.slice(seen);
    assert.deepEqual(handled.map((tick) => tick.scheduledTime).sort((a, b) => a - b), ticks, "the handler saw each tick once");
    assert.ok(handled.every((tick) => tick.cron === EVERY_SECOND && tick.type === "scheduled"), JSON.stringify(handled));
    assert.ok(runners.runs.every((run) => run.outcome.ok && run.cron === EVERY_SECOND && POPS.includes(run.pop)), JSON.stringify(runners.runs));
    const versions = runners.runs.sort((a, b) => a.scheduledTime - b.scheduledTime).map((run) => run.version);
    assert.equal(versions.at(-1), "v2");
    assert.deepEqual(versions, [...versions].sort(), `v1 until the redeploy, v2 after: ${versions.join(", ")}`);
    for (const run of runners.runs) assert.deepEqual(run.logs, [{ level: "log", message: `tick ${run.scheduledTime}: ok` }]);
  });

  it("reports a throwing handler as a failed run, and runs the next tick", async () => {
    const first = counter.ticks.length;
    plan = (index) => (index === first ? "throw" : "ok");
    const runners = startRunners(sites, [EVERY_SECOND]);
    try {
      await runners.runsReach(2, 5000);
    } finally {
      await runners.close();
    }
    const [failed, next] = runners.runs.sort((a, b) => a.scheduledTime - b.scheduledTime);
    assert.equal(!failed.outcome.ok && failed.outcome.code, "worker_threw_exception", JSON.stringify(failed));
    assert.ok(failed.logs.some((line) => line.message.includes(`Uncaught Error: planned failure at ${failed.scheduledTime}`)), JSON.stringify(failed.logs));
    assert.deepEqual(next.outcome, { ok: true });
    assert.equal(next.scheduledTime, failed.scheduledTime + 1000);
    assertExactlyOnce(runners, 1000);
  });

  it("reports a worker without a scheduled handler as no_scheduled_handler, and outlives a throwing listener", async () => {
    const fetchOnly = await startPopForDirectory(`${CRON_WORKER}/fetch-only`);
    const runs: CronRunReport[] = [];
    const runner = new CronRunner({
      substrate: sites[0].substrate,
      onRun: (run) => {
        runs.push(run);
        throw new Error("a listener's own bug");
      },
    });
    try {
      runner.setJobs([{ worker: "fetch-only", version: "v1", crons: [EVERY_SECOND], runtime: fetchOnly.pop.workers.get("fetch-only")! }]);
      await until(async () => runs.length >= 2, "two runs", 4000);
    } finally {
      await runner.close();
      await fetchOnly.close();
    }
    for (const run of runs) {
      assert.equal(run.worker, "fetch-only");
      assert.equal(!run.outcome.ok && run.outcome.code, "no_scheduled_handler");
      assert.match(!run.outcome.ok ? run.outcome.message : "", /Worker "fetch-only" has no scheduled handler/);
    }
  });

  it("refuses bad jobs naming the value, and keeps the jobs it had", async () => {
    const runner = new CronRunner({ substrate: sites[0].substrate });
    const job = { worker: "cron-worker", version: "v1", crons: ["0 0 1 1 *"], runtime: sites[0].runtime };
    try {
      runner.setJobs([job]);
      const refused = (jobs: (typeof job)[], code: string, message: RegExp) =>
        assert.throws(() => runner.setJobs(jobs), (error: unknown) => error instanceof CronError && error.code === code && message.test(error.message));
      refused([{ ...job, crons: ["0 0 1 1 *", "61 * * * *"] }], "invalid_cron", /"61 \* \* \* \*": Constraint error/);
      refused([{ ...job, worker: "Bad_Name" }], "invalid_job", /Invalid worker name "Bad_Name"/);
      refused([job, { ...job, version: "v2" }], "invalid_job", /Worker "cron-worker" has more than one job/);
      assert.deepEqual(runner.schedule, [{ worker: "cron-worker", cron: "0 0 1 1 *", due: Date.UTC(new Date().getUTCFullYear() + 1, 0, 1) }]);
    } finally {
      await runner.close();
    }
    assert.throws(() => runner.setJobs([job]), /The cron runner of PoP "tokyo" is closed/);
  });
});
