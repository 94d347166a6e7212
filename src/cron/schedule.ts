/**
 * @module Cron expressions: validation and the next tick, in UTC, with
 * cron-parser. Cloudflare's 5-field form (minute hour day-of-month month
 * day-of-week), and a 6-field form with leading seconds (a Verge extension).
 */
import { CronExpressionParser } from "cron-parser";
import { CronError } from "./errors.js";

/** Limits on what a worker may schedule; error messages quote them. */
export const CronLimits = {
  /** One expression, in characters. */
  MAX_EXPRESSION_CHARS: 100,
  /** Expressions in one worker's `triggers.crons`. */
  MAX_CRONS_PER_WORKER: 100,
} as const;

const FIELDS = "minute hour day-of-month month day-of-week";
/** Digits, month and weekday names, L, and * , - / ? #: what cron-parser reads the same at every PoP. */
const FIELD_CHARS = /^[0-9A-Za-z*,\-/?#]+$/;
/** cron-parser's `H` (a value hashed from a seed) would tick at different times at different PoPs. */
const HASHED = /(^|,)H(\/|,|$)/i;

/** An expression with its fields joined by single spaces (the form keys and comparisons use). */
export function normalizeCron(expression: string): string {
  return expression.trim().split(/\s+/).join(" ");
}

function invalid(expression: string, problem: string): CronError {
  return new CronError("invalid_cron", `Invalid cron expression ${JSON.stringify(expression)}: ${problem}`);
}

/**
 * Checks one expression; answers it normalized, or throws `CronError`
 * `invalid_cron` naming the expression and what is wrong.
 * @example parseCron("*\/5 * * * *"); // every 5 minutes; "*\/10 * * * * *": every 10 seconds
 */
export function parseCron(expression: unknown): string {
  if (typeof expression !== "string") throw new CronError("invalid_cron", `A cron expression must be a string: received ${expression === null ? "null" : typeof expression}`);
  if (expression.length > CronLimits.MAX_EXPRESSION_CHARS) throw invalid(expression.slice(0, 40) + "…", `longer than ${CronLimits.MAX_EXPRESSION_CHARS} characters`);
  const normalized = normalizeCron(expression);
  const fields = normalized === "" ? [] : normalized.split(" ");
  if (fields.length !== 5 && fields.length !== 6) throw invalid(expression, `${fields.length} field${fields.length === 1 ? "" : "s"}, expected 5 (${FIELDS}) or 6 (seconds first)`);
  for (const field of fields) {
    if (!FIELD_CHARS.test(field)) throw invalid(expression, `the field ${JSON.stringify(field)} has a character outside 0-9 A-Z * , - / ? #`);
    if (HASHED.test(field)) throw invalid(expression, `the field ${JSON.stringify(field)} uses H (a hashed value), which is not supported`);
  }
  try {
    nextTick(normalized, Date.now());
  } catch (error) {
    throw invalid(expression, error instanceof Error ? error.message : String(error));
  }
  return normalized;
}

/**
 * Checks a worker's `triggers.crons` (on upload); answers them normalized,
 * or throws `CronError` `invalid_cron` naming the bad expression.
 * @example checkCrons(["0 * * * *", "*\/30 * * * * *"]);
 */
export function checkCrons(crons: unknown): string[] {
  if (!Array.isArray(crons)) throw new CronError("invalid_cron", `triggers.crons must be a list of cron expressions: received ${crons === null ? "null" : typeof crons}`);
  if (crons.length > CronLimits.MAX_CRONS_PER_WORKER) throw new CronError("invalid_cron", `triggers.crons has ${crons.length} expressions, over the limit of ${CronLimits.MAX_CRONS_PER_WORKER}`);
  const seen = new Set<string>();
  for (const cron of crons) {
    const normalized = parseCron(cron);
    if (seen.has(normalized)) throw invalid(cron as string, "listed twice");
    seen.add(normalized);
  }
  return [...seen];
}

/**
 * The first tick of `expression` strictly after `after` (ms since the epoch, UTC).
 * The expression must have passed `parseCron`.
 * @example nextTick("* * * * * *", Date.UTC(2024, 0, 1, 0, 0, 0, 500)); // Date.UTC(2024, 0, 1, 0, 0, 1)
 */
export function nextTick(expression: string, after: number): number {
  return CronExpressionParser.parse(expression, { tz: "UTC", currentDate: after }).next().getTime();
}
