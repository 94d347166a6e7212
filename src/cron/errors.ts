/** @module Typed errors of cron triggers, with stable codes. */
import { CodedError } from "../errors.js";

/** Codes of `CronError`, with what each means. */
export const CronErrorCodes = {
  invalid_cron: "a cron expression, or the list of them, is not one Verge can schedule",
  invalid_job: "a job given to a CronRunner names a bad worker or repeats one",
} as const;

export type CronErrorCode = keyof typeof CronErrorCodes;

/**
 * The error of cron schedules and runners; the message names the bad value.
 * @example if (error instanceof CronError && error.code === "invalid_cron") return badUpload(error.message);
 */
export class CronError extends CodedError<CronErrorCode> {
  override readonly name = "CronError";
}
