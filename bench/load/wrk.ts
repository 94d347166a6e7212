/**
 * @module Runs wrk against one URL and parses its report: requests per second,
 * p50 and p99 from `--latency`'s distribution, and every error it counted.
 */
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

export interface WrkOptions {
  url: string;
  host: string;
  threads: number;
  connections: number;
  durationS: number;
  /** POST this body (application/json) through a generated Lua script. */
  postBody?: string;
  /** Where the Lua script goes. */
  scratchDir: string;
}

export interface WrkResult {
  requests: number;
  rps: number;
  p50Ms: number;
  p75Ms: number;
  p90Ms: number;
  p99Ms: number;
  /** Socket errors (connect + read + write + timeout) plus non-2xx/3xx responses. */
  errors: number;
  raw: string;
}

const UNIT_MS: Record<string, number> = { us: 1e-3, ms: 1, s: 1e3, m: 60e3, h: 3600e3 };

function parseDurationMs(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m|h)$/.exec(text);
  if (!match) throw new Error(`Unparsed wrk duration: "${text}"`);
  return Number(match[1]) * UNIT_MS[match[2]];
}

function percentile(raw: string, p: number): number {
  const match = new RegExp(`^\\s+${p}(?:\\.0+)?%\\s+(\\S+)\\s*$`, "m").exec(raw);
  if (!match) throw new Error(`No ${p}% line in wrk's latency distribution:\n${raw}`);
  return parseDurationMs(match[1]);
}

/** Parses wrk's text report (run with --latency). */
export function parseWrk(raw: string): WrkResult {
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(raw);
  const requests = /^\s+(\d+) requests in/m.exec(raw);
  if (!rps || !requests) throw new Error(`Unparsed wrk report:\n${raw}`);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(raw);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(raw);
  const errors = (socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0) + (non2xx ? Number(non2xx[1]) : 0);
  return { requests: Number(requests[1]), rps: Number(rps[1]), p50Ms: percentile(raw, 50), p75Ms: percentile(raw, 75), p90Ms: percentile(raw, 90), p99Ms: percentile(raw, 99), errors, raw };
}

function postScript(dir: string, body: string): string {
  if (body.includes("]==]")) throw new Error("The POST body cannot be quoted for Lua");
  const path = join(dir, "post.lua");
  writeFileSync(path, `wrk.method = "POST"\nwrk.body = [==[${body}]==]\nwrk.headers["Content-Type"] = "application/json"\n`);
  return path;
}

/** One wrk run; rejects when wrk fails or its report cannot be read. */
export async function runWrk(options: WrkOptions): Promise<WrkResult> {
  const args = ["-t", String(options.threads), "-c", String(options.connections), "-d", `${options.durationS}s`, "--latency", "-H", `Host: ${options.host}`];
  if (options.postBody !== undefined) args.push("-s", postScript(options.scratchDir, options.postBody));
  args.push(options.url);
  const { stdout } = await promisify(execFile)("wrk", args, { timeout: (options.durationS + 30) * 1000, maxBuffer: 1 << 20 });
  return parseWrk(stdout);
}
