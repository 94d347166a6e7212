/**
 * @module CronRunners at three PoPs whose substrate is a real nats-server
 * (JetStream KV for the claims): every tick runs exactly once.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { natsBackend, type NatsTestBackend } from "../../src/substrate/nats/testing.js";
import { startPopForDirectory, type TestPop } from "../support/pop.js";
import { startCounter, type Counter } from "./counter.js";
import { assertExactlyOnce, startRunners } from "./harness.js";

const POPS = ["tokyo", "frankfurt", "virginia"];

describe("cron runners on nats-server", () => {
  let nats: NatsTestBackend;
  let counter: Counter;
  let pops: TestPop[] = [];

  before(async () => {
    nats = await natsBackend();
    counter = await startCounter();
    pops = await Promise.all(POPS.map(() => startPopForDirectory("test/fixtures/cron-worker", { env: { COUNTER_URL: counter.url } })));
  });
  after(async () => {
    await Promise.all(pops.map((pop) => pop.close()));
    await counter.close();
    await nats.close();
  });

  it("runs every tick exactly once across three PoPs", async () => {
    const sites = POPS.map((name, i) => ({ substrate: nats.substrate.forPop(name, { region: name }), runtime: pops[i].pop.workers.get("cron-worker")! }));
    const runners = startRunners(sites, ["* * * * * *"]);
    try {
      await runners.runsReach(4, 8000);
    } finally {
      await runners.close();
    }
    const ticks = assertExactlyOnce(runners, 1000);
    assert.deepEqual(counter.ticks.map((tick) => tick.scheduledTime).sort((a, b) => a - b), ticks);
    assert.ok(runners.runs.every((run) => run.outcome.ok), JSON.stringify(runners.runs.map((run) => run.outcome)));
  });
});
