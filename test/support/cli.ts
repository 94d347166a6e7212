/**
 * @module Test support: run the `verge` command as a real process and wait
 * for the URL it prints.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../bin/verge.js", import.meta.url));

export interface VergeProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  rssKb(field?: "VmRSS" | "VmHWM"): Promise<number>;
}

/** What a finished `verge` command gave: its exit code, stdout as bytes, stderr as text. */
export interface VergeRun {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Runs `verge <args>` to completion (killed after `timeoutMs`). */
export function runVerge(args: string[], timeoutMs = 30_000): Promise<VergeRun> {
  const child = spawn(process.execPath, ["--no-node-snapshot", BIN, ...args], { stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs });
  const stdout: Buffer[] = [];
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout: Buffer.concat(stdout), stderr }));
  });
}

export async function startVerge(args: string[], timeoutMs = 20_000): Promise<VergeProcess> {
  // --no-node-snapshot here, so that bin/verge.js does not re-exec and the pid is the server's.
  const child = spawn(process.execPath, ["--no-node-snapshot", BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`verge did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const check = () => {
      const match = /at (http:\/\/[\d.]+:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on("data", check);
    void exited.then((code) => reject(new Error(`verge exited with ${code}:\n${output}`)));
  });
  return {
    child,
    url,
    output: () => output,
    stop(signal = "SIGTERM") {
      child.kill(signal);
      return exited;
    },
    async rssKb(field = "VmRSS") {
      const { readFile } = await import("node:fs/promises");
      const status = await readFile(`/proc/${child.pid}/status`, "utf8");
      return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
    },
  };
}
