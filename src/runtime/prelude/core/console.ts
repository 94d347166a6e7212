/**
 * @module console, captured per request: every line goes to the host with the
 * request it belongs to, which attaches it to that request's log as
 * `{ level, message }`. Lines written outside a request are dropped.
 */
import { Op } from "../../bridge/protocol.js";
import { opSync } from "./bridge.js";
import { formatArgs, inspect, quote } from "./inspect.js";

type Level = "debug" | "info" | "log" | "warn" | "error";
const levels: Record<string, Level> = { debug: "debug", info: "info", log: "log", warn: "warn", error: "error", dirxml: "log" };

export function installConsole(target: Record<string, unknown>): void {
  const counts = new Map<string, number>();
  const timers = new Map<string, number>();
  let indent = "";

  const write = (level: Level, text: () => string) => {
    let message: string;
    try {
      message = text();
    } catch (error) {
      message = `[console could not format its arguments: ${error instanceof Error ? error.message : String(error)}]`;
    }
    opSync(Op.Log, level, indent ? indent + message.replace(/\n/g, `\n${indent}`) : message);
  };
  const elapsed = (label: string, method: string): number | undefined => {
    const start = timers.get(label);
    if (start === undefined) write("warn", () => `Warning: No such label '${label}' for console.${method}()`);
    return start === undefined ? undefined : performance.now() - start;
  };

  const console: Record<string, unknown> = {};
  for (const [method, level] of Object.entries(levels)) {
    console[method] = (...args: unknown[]) => write(level, () => formatArgs(args));
  }
  console.trace = (...args: unknown[]) => {
    const stack = (new Error().stack ?? "").split("\n").slice(2).join("\n");
    write("debug", () => `Trace${args.length ? `: ${formatArgs(args)}` : ""}\n${stack}`);
  };
  console.assert = (condition?: unknown, ...args: unknown[]) => {
    if (!condition) write("error", () => `Assertion failed${args.length ? `: ${formatArgs(args)}` : ""}`);
  };
  console.dir = (value?: unknown) => write("log", () => (typeof value === "string" ? quote(value) : inspect(value)));
  console.table = (data?: unknown) => write("log", () => formatArgs([data]));
  console.count = (label: unknown = "default") => {
    const name = String(label);
    const n = (counts.get(name) ?? 0) + 1;
    counts.set(name, n);
    write("log", () => `${name}: ${n}`);
  };
  console.countReset = (label: unknown = "default") => void counts.delete(String(label));
  console.time = (label: unknown = "default") => {
    const name = String(label);
    if (timers.has(name)) write("warn", () => `Warning: Label '${name}' already exists for console.time()`);
    else timers.set(name, performance.now());
  };
  console.timeLog = (label: unknown = "default", ...args: unknown[]) => {
    const ms = elapsed(String(label), "timeLog");
    if (ms !== undefined) write("log", () => [`${String(label)}: ${ms}ms`, ...args.map((a) => inspect(a))].join(" "));
  };
  console.timeEnd = (label: unknown = "default") => {
    const ms = elapsed(String(label), "timeEnd");
    timers.delete(String(label));
    if (ms !== undefined) write("log", () => `${String(label)}: ${ms}ms`);
  };
  console.group = console.groupCollapsed = (...args: unknown[]) => {
    if (args.length) write("log", () => formatArgs(args));
    indent += "  ";
  };
  console.groupEnd = () => {
    indent = indent.slice(2);
  };
  Object.defineProperty(console, Symbol.toStringTag, { value: "console", configurable: true });
  target.console = console;
}
