/**
 * @module Test helper: workers that run named checks inside the isolate and
 * answer with JSON of each check's value or thrown error, so the Node side
 * asserts what really happened in the isolate.
 */
import assert from "node:assert/strict";
import type { TestPop } from "../support/pop.js";

/** What one check did: its value, or the error it threw. */
export type CheckResult = { ok: true; value: unknown } | { ok: false; name: string; message: string };

/**
 * Worker source that runs every check of `checks` (JS source of an object
 * literal of `async (request, env) => value` functions) on each request and
 * answers JSON. `helpers` is JS source placed before the checks.
 * @example checksWorker(`{ one: async () => 1 }`)
 */
export function checksWorker(checks: string, helpers = ""): string {
  return `
const enc = (text) => new TextEncoder().encode(text);
const dec = (bytes) => new TextDecoder().decode(bytes);
const errorOf = async (fn) => {
  try { await fn(); } catch (error) { return { name: error?.name, message: String(error?.message ?? error), isTypeError: error instanceof TypeError, isRangeError: error instanceof RangeError }; }
  return "no error";
};
${helpers}
const checks = ${checks};
export default {
  async fetch(request, env, ctx) {
    const only = new URL(request.url).searchParams.get("only");
    const out = {};
    for (const [name, check] of Object.entries(checks)) {
      if (only && only !== name) continue;
      try {
        out[name] = { ok: true, value: await check(request, env, ctx) };
      } catch (error) {
        out[name] = { ok: false, name: String(error?.name), message: String(error?.message ?? error) };
      }
    }
    return Response.json(out);
  },
};`;
}

/**
 * Limits for workers whose tests are not about limits: a checks request runs
 * dozens of checks cold, and an entry's timeout is wall time, which a busy
 * machine can push past the 50 ms default. CPU limits are tested elsewhere.
 */
export const CHECK_LIMITS = { cpuMs: 1000 } as const;

/** Routes for a worker reached at `/<name>…` on the test PoP (its URL's host is 127.0.0.1). */
export function pathRoute(name: string): string[] {
  return [`127.0.0.1/${name}*`];
}

/** Runs the checks of the worker routed at `path` and returns their results. */
export async function runChecks(pop: TestPop, path: string, init?: RequestInit): Promise<Record<string, CheckResult>> {
  const res = await pop.fetch(path, init);
  const text = await res.text();
  assert.equal(res.status, 200, `checks at ${path} failed: ${text}\n${JSON.stringify(pop.logs.at(-1)?.logs)}`);
  return JSON.parse(text) as Record<string, CheckResult>;
}

/** The value of check `name`; fails when the check threw. */
export function valueOf(results: Record<string, CheckResult>, name: string): unknown {
  const result = results[name];
  assert.ok(result, `no result for check "${name}"`);
  if (!result.ok) assert.fail(`check "${name}" threw ${result.name}: ${result.message}`);
  return result.value;
}

/** Asserts that check `name` returned an error record (from `errorOf`) of class `errorName` whose message matches. */
export function assertError(results: Record<string, CheckResult>, name: string, errorName: string, message?: RegExp): void {
  const value = valueOf(results, name) as { name: string; message: string } | string;
  assert.notEqual(value, "no error", `check "${name}" did not throw`);
  assert.equal((value as { name: string }).name, errorName, `check "${name}": ${JSON.stringify(value)}`);
  if (message) assert.match((value as { message: string }).message, message, `check "${name}"`);
}
