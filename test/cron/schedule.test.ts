/** @module Cron expressions: what is accepted, the next tick, and bad values refused naming the expression. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkCrons, CronError, nextTick, parseCron } from "../../src/cron/index.js";

const at = (iso: string) => Date.parse(iso);

function refused(run: () => unknown, message: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof CronError, String(error));
    assert.equal(error.code, "invalid_cron");
    assert.match(error.message, message);
    return true;
  });
}

describe("cron schedules", () => {
  it("computes the next tick in UTC for the 5-field form", () => {
    assert.equal(nextTick("*/15 * * * *", at("2026-03-01T10:07:30Z")), at("2026-03-01T10:15:00Z"));
    assert.equal(nextTick("0 17 * * MON-FRI", at("2026-03-01T18:00:00Z")), at("2026-03-02T17:00:00Z"));
    assert.equal(nextTick("0 0 L * *", at("2026-02-10T00:00:00Z")), at("2026-02-28T00:00:00Z"));
    assert.equal(nextTick("30 6 1 JAN *", at("2026-06-01T00:00:00Z")), at("2027-01-01T06:30:00Z"));
  });

  it("takes a leading seconds field, and a tick is strictly after the time given", () => {
    const tick = at("2026-03-01T10:07:30Z");
    assert.equal(nextTick("* * * * * *", tick), tick + 1000);
    assert.equal(nextTick("* * * * * *", tick + 1), tick + 1000);
    assert.equal(nextTick("*/10 * * * * *", tick + 1), tick + 10_000);
  });

  it("accepts Cloudflare's examples and answers them with single spaces", () => {
    for (const cron of ["*/3 * * * *", "0 15 1 * *", "59 23 L * *", "0 17 * * sun", "10 7 * * mon-fri", "0 0 * * 5L", "0 0 * * 1#2"]) assert.equal(parseCron(cron), cron);
    assert.equal(parseCron("  0  *\t* * *  "), "0 * * * *");
  });

  it("refuses a wrong number of fields, naming the expression", () => {
    refused(() => parseCron("* * * *"), /"\* \* \* \*": 4 fields, expected 5 \(minute hour day-of-month month day-of-week\) or 6/);
    refused(() => parseCron("0 0 0 * * * 2026"), /"0 0 0 \* \* \* 2026": 7 fields/);
    refused(() => parseCron(""), /"": 0 fields/);
    refused(() => parseCron("@hourly"), /"@hourly": 1 field, expected 5/);
  });

  it("refuses values out of range and impossible dates, naming the expression and the problem", () => {
    refused(() => parseCron("60 * * * *"), /"60 \* \* \* \*": Constraint error, got value 60 expected range 0-59/);
    refused(() => parseCron("0 0 1 13 *"), /"0 0 1 13 \*".*13/);
    refused(() => parseCron("0 0 31 4 *"), /"0 0 31 4 \*": Invalid explicit day of month/);
    refused(() => parseCron("*/0 * * * *"), /"\*\/0 \* \* \* \*"/);
    refused(() => parseCron("0 0 * * FUNDAY"), /"0 0 \* \* FUNDAY"/);
  });

  it("refuses characters cron-parser would read differently at different PoPs", () => {
    refused(() => parseCron("H * * * *"), /"H \* \* \* \*": the field "H" uses H \(a hashed value\)/);
    refused(() => parseCron("0 H(0-5) * * *"), /the field "H\(0-5\)" has a character outside/);
    refused(() => parseCron("0 0 * * THU;rm"), /the field "THU;rm" has a character outside/);
    refused(() => parseCron("x".repeat(101)), /longer than 100 characters/);
    refused(() => parseCron(42), /must be a string: received number/);
  });

  it("checks a worker's list: a bad entry, a repeat, not a list", () => {
    assert.deepEqual(checkCrons(["0 * * * *", "*/5 * * * * *"]), ["0 * * * *", "*/5 * * * * *"]);
    assert.deepEqual(checkCrons([]), []);
    refused(() => checkCrons(["0 * * * *", "61 * * * *"]), /"61 \* \* \* \*"/);
    refused(() => checkCrons(["0 * * * *", "0  * * * *"]), /"0  \* \* \* \*": listed twice/);
    refused(() => checkCrons("0 * * * *"), /triggers.crons must be a list of cron expressions: received string/);
    refused(() => checkCrons(Array.from({ length: 101 }, (_, i) => `${i % 60} ${Math.floor(i / 60)} * * *`)), /101 expressions, over the limit of 100/);
  });
});
