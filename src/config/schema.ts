/**
 * @module Zod schemas of the wrangler keys Verge understands. Messages are the
 * predicate only ("must be a string"); issues.ts adds file, key and value.
 */
import { TomlDate } from "smol-toml";
import { z } from "zod";
import { isPlainObject } from "./format.js";
import { WORKER_NAME_PATTERN, WORKER_NAME_RULE } from "./names.js";

/** The largest `limits.cpu_ms` a worker may ask for, as on Cloudflare. */
export const MAX_CPU_MS = 300_000;

const must = (error: string) => ({ error });
const aString = () => z.string(must("must be a string"));
const anObject = () => z.looseObject({}, must("must be an object"));
const anArrayOfObjects = () => z.array(anObject(), must("must be an array"));

/** True for YYYY-MM-DD strings that name a real calendar day. */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** True for values JSON can carry unchanged: the allowed values of `vars`. */
export function isJsonValue(value: unknown): boolean {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonValue);
  return isPlainObject(value) && Object.values(value).every(isJsonValue);
}

const jsonValue = z.unknown().refine(isJsonValue, must("must be a string or a JSON value"));

const DATE_RULE = "must be a date in the form YYYY-MM-DD";
/** An unquoted TOML date (`compatibility_date = 2024-09-23`) is accepted as its text. */
const compatibilityDate = z.preprocess(
  (value) => (value instanceof TomlDate && value.isDate() ? value.toISOString() : value),
  z.string(must(DATE_RULE)).refine(isCalendarDate, must(DATE_RULE)),
);

const ROUTE_RULE = "must be a pattern string or an object with a pattern";
const routeObject = z.object(
  {
    pattern: aString().min(1, must("must not be empty")),
    zone_name: aString().optional(),
    zone_id: aString().optional(),
    custom_domain: z.boolean(must("must be a boolean")).optional(),
  },
  must(ROUTE_RULE),
);
const route = z.union([aString().min(1, must("must not be empty")), routeObject], must(ROUTE_RULE));

const CPU_RULE = "must be a positive integer";
const limits = z.object(
  {
    cpu_ms: z
      .number(must(CPU_RULE))
      .int(must(CPU_RULE))
      .positive(must(CPU_RULE))
      .max(MAX_CPU_MS, must(`must be at most ${MAX_CPU_MS}`))
      .optional(),
  },
  must("must be an object"),
);

/** Keys a later feature will own: accepted and checked loosely for now. */
const reserved = {
  $schema: aString().optional(),
  account_id: aString().optional(),
  workers_dev: z.boolean(must("must be a boolean")).optional(),
  usage_model: aString().optional(),
  compatibility_flags: z.array(aString(), must("must be an array of strings")).optional(),
  kv_namespaces: anArrayOfObjects().optional(),
  d1_databases: anArrayOfObjects().optional(),
  migrations: anArrayOfObjects().optional(),
  durable_objects: anObject().optional(),
  triggers: anObject().optional(),
  build: anObject().optional(),
  observability: anObject().optional(),
  placement: anObject().optional(),
};

/** The top level of a wrangler file. Unknown keys are stripped here and reported by unknown.ts. */
export const configSchema = z
  .object({
    name: aString().regex(WORKER_NAME_PATTERN, must(WORKER_NAME_RULE)),
    main: aString().min(1, must("must not be empty")),
    compatibility_date: compatibilityDate.optional(),
    vars: z.record(z.string(), jsonValue, must("must be an object")).optional(),
    route: route.optional(),
    routes: z.array(route, must("must be an array")).optional(),
    limits: limits.optional(),
    ...reserved,
  })
  .superRefine((config, ctx) => {
    if (config.route !== undefined && config.routes !== undefined) {
      ctx.addIssue({ code: "custom", path: ["route"], message: "cannot be set together with routes: use one of them" });
    }
  });

/** A validated wrangler file. */
export type ParsedConfig = z.output<typeof configSchema>;

/** Keys each object may hold, for the unknown-key warnings. */
export const KnownKeys = {
  top: Object.keys(configSchema.shape),
  limits: Object.keys(limits.shape),
  route: Object.keys(routeObject.shape),
} as const;
