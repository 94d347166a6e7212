/**
 * @module A `verge pop` process for the NATS runs: `node --no-node-snapshot
 * bin/verge.js pop <dir> --name <pop> --nats <url> --port 0 --data-dir <dir>
 * --quiet`, started from dist/ as a user would, tracked so that the bench ends
 * it, and ready once it prints its URL.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { exitOf, stop, track } from "../targets/children.js";

const BIN = fileURLToPath(new URL("../../bin/verge.js", import.meta.url));
const START_TIMEOUT_MS = 30_000;

export interface PopProcess {
  name: string;
  url: string;
  pid: number;
  /** What it printed (the last 8 KB). */
  output(): string;
  /** SIGTERM (drains), SIGKILL after a grace period. */
  close(): Promise<void>;
}

export async function startPopProcess(dir: string, options: { name: string; nats: string; dataDir: string }): Promise<PopProcess> {
  const args = ["--no-node-snapshot", BIN, "pop", dir, "--name", options.name, "--nats", options.nats, "--port", "0", "--data-dir", options.dataDir, "--quiet"];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  track(child);
  let output = "";
  const keep = (chunk: Buffer) => (output = (output + chunk.toString("utf8")).slice(-8192));
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  let timer: NodeJS.Timeout | undefined;
  try {
    const url = await Promise.race([
      new Promise<string>((resolve) => {
        const check = () => {
          const match = /at (http:\/\/[\d.]+:\d+)/.exec(output);
          if (match) resolve(match[1]);
        };
        child.stdout.on("data", check);
      }),
      exitOf(child, `verge pop --name ${options.name}`),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`verge pop --name ${options.name} printed no URL within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS))),
    ]).catch((error: unknown) => {
      throw new Error(`${error instanceof Error ? error.message : String(error)}; it printed: ${output.trim().slice(-2000) || "nothing"}`);
    });
    return { name: options.name, url, pid: child.pid!, output: () => output, close: () => stop(child) };
  } catch (error) {
    await stop(child);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
