/** @module The run's record: machine and versions, options, every figure, written to bench/.results/<timestamp>.json. */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { workerdVersion } from "./targets/workerd.js";

export const RESULTS_DIR = fileURLToPath(new URL("./.results/", import.meta.url));

/** A file-name-safe UTC timestamp, e.g. 2026-11-20T09-15-02Z. */
export function timestamp(date = new Date()): string {
  return date.toISOString().replace(/\.\d+Z$/, "Z").replace(/:/g, "-");
}

function git(args: string[]): string | undefined {
  try {
    return execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return undefined;
  }
}

/** What the figures were measured on. */
export function machine(wrk: string) {
  const cores = cpus();
  return {
    cpus: cores.length,
    cpuModel: cores[0]?.model ?? "unknown",
    loadAverage: loadavg().map((l) => Number(l.toFixed(2))),
    node: process.version,
    workerd: workerdVersion(),
    wrk,
    commit: git(["rev-parse", "--short", "HEAD"]),
    uncommittedFiles: git(["status", "--porcelain"])?.split("\n").filter(Boolean).length,
  };
}

/** Writes the record; returns its path. */
export function writeResults(stamp: string, record: unknown): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${stamp}.json`);
  writeFileSync(path, `${JSON.stringify(record, null, 2)}\n`);
  return path;
}
