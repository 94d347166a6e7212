/**
 * @module Cron triggers: schedules (validation, next tick), one scheduled
 * event's run, and the per-PoP runner that runs each tick exactly once
 * across the network. See docs/cron.md.
 */
export { CronError, CronErrorCodes, type CronErrorCode } from "./errors.js";
export { checkCrons, CronLimits, nextTick, normalizeCron, parseCron } from "./schedule.js";
export { runScheduled, scheduledOutcome, type ScheduledFailureCode, type ScheduledOutcome, type ScheduledRun } from "./run.js";
export { claimTick, cronKey, CRON_BUCKET, type ClaimRecord, type ClaimResult } from "./claim.js";
export { CronRunner, type CronJob, type CronRunnerOptions, type CronRunReport, type CronSkipReason, type CronSkipReport } from "./runner.js";
