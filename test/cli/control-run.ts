/**
 * @module Test support of the control-plane command tests: a `verge` command
 * run to its end with a chosen environment and stdin, a `verge start` whose
 * printed URLs and admin token are read, and a bounded poll.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startVerge, type VergeProcess } from "../support/cli.js";

export const BIN = fileURLToPath(new URL("../../bin/verge.js", import.meta.url));
/** The worker the tests deploy (name "greeter"); `v2.toml` beside it is its second version. */
export const WORKER_DIR = fileURLToPath(new URL("../fixtures/control-worker", import.meta.url));

export interface Finished {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `verge <args>` run to its end (killed after 30 s), with no VERGE_API_* in its environment unless given. */
export function verge(args: string[], options: { env?: Record<string, string>; input?: string; cwd?: string } = {}): Promise<Finished> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  if (!options.env?.VERGE_API_URL) delete env.VERGE_API_URL;
  if (!options.env?.VERGE_API_TOKEN) delete env.VERGE_API_TOKEN;
  const child = spawn(process.execPath, ["--no-node-snapshot", BIN, ...args], { env, cwd: options.cwd ?? WORKER_DIR, timeout: 30_000 });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  child.stdin.on("error", () => {}); // EPIPE: the command ended without reading its input.
  child.stdin.end(options.input ?? "");
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** A `verge start` on free ports and a fresh data dir, with what it printed. */
export interface ControlPlane {
  process: VergeProcess;
  /** VERGE_API_URL and VERGE_API_TOKEN as it printed them. */
  env: { VERGE_API_URL: string; VERGE_API_TOKEN: string };
  /** PoP name → URL. */
  pops: Map<string, string>;
}

export async function startControlPlane(): Promise<ControlPlane> {
  const process = await startVerge(["start", "--port", "0", "--api-port", "0", "--data-dir", mkdtempSync(join(tmpdir(), "verge-control-")), "--quiet"]);
  await poll(async () => process.output().includes("verge start: ready"), "verge start to be ready", 30_000).catch((error: Error) => {
    process.child.kill("SIGKILL");
    throw new Error(`${error.message}:\n${process.output()}`);
  });
  const output = process.output();
  const url = /^export VERGE_API_URL=(\S+)$/m.exec(output)?.[1];
  const token = /^export VERGE_API_TOKEN=(\S+)$/m.exec(output)?.[1];
  if (!url || !token) throw new Error(`verge start printed no API URL or token:\n${output}`);
  const pops = new Map([...output.matchAll(/^verge start: pop (\S+) at (http:\/\/\S+)$/gm)].map((match) => [match[1], match[2]] as [string, string]));
  return { process, env: { VERGE_API_URL: url, VERGE_API_TOKEN: token }, pops };
}

/** Calls `check` every 50 ms until it answers true; fails after `timeoutMs`. */
export async function poll(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
