/**
 * @module console, captured per request: every line goes to the host with the
 * request it belongs to, which attaches it to that request's log.
 */
import { Op } from "../../bridge/protocol.js";
import { opSync } from "./bridge.js";
import { formatArgs } from "./inspect.js";

const levels = { debug: "debug", info: "info", log: "log", warn: "warn", error: "error", trace: "debug" } as const;

export function installConsole(target: Record<string, unknown>): void {
  const counts = new Map<string, number>();
  const timers = new Map<string, number>();
  const console: Record<string, unknown> = {};
  for (const [method, level] of Object.entries(levels)) {
    console[method] = (...args: unknown[]) => opSync(Op.Log, level, formatArgs(args));
  }
  console.assert = (condition: unknown, ...args: unknown[]) => {
    if (!condition) opSync(Op.Log, "error", `Assertion failed${args.length ? `: ${formatArgs(args)}` : ""}`);
  };
  console.dir = (value: unknown) => opSync(Op.Log, "log", formatArgs([value]));
  console.table = console.dir;
  console.count = (label = "default") => {
    const n = (counts.get(label) ?? 0) + 1;
    counts.set(label, n);
    opSync(Op.Log, "log", `${label}: ${n}`);
  };
  console.countReset = (label = "default") => counts.delete(label);
  console.time = (label = "default") => timers.set(label, performance.now());
  console.timeEnd = (label = "default") => {
    const start = timers.get(label);
    timers.delete(label);
    if (start !== undefined) opSync(Op.Log, "log", `${label}: ${performance.now() - start}ms`);
  };
  console.group = console.groupEnd = console.groupCollapsed = () => {};
  target.console = console;
}
