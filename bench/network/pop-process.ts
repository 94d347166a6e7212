/**
 * @module A `verge pop` process for the NATS runs: `node --no-node-snapshot
 * bin/verge.js pop <dir> --name <pop> --nats <url> --port 0 --data-dir <dir>
 * --quiet`, started from dist/ as a user would, tracked so that the bench ends
 * it, and ready once it prints its URL; and a set of them on one real
 * nats-server on loopback (src/substrate/nats/server.ts).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { NatsServer } from "../../src/substrate/nats/server.js";
import { exitOf, stop, track } from "../targets/children.js";
import { Client } from "./client.js";

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

/** A nats-server and `verge pop` processes on it, by PoP name, a client for each; one close for everything. */
export interface NatsPops {
  nats: NatsServer;
  pops: Record<string, PopProcess>;
  clients: Record<string, Client>;
  close(): Promise<void>;
}

/** A nats-server on loopback and one `verge pop` per name serving `dir` on it, each with its own data directory. */
export async function startNatsPops(dir: string, names: string[]): Promise<NatsPops> {
  const nats = await NatsServer.start();
  const root = mkdtempSync(join(tmpdir(), "verge-bench-nats-"));
  const pops: Record<string, PopProcess> = {};
  const clients: Record<string, Client> = {};
  const close = async () => {
    for (const client of Object.values(clients)) client.close();
    await Promise.all(Object.values(pops).map((pop) => pop.close()));
    await nats.stop();
    rmSync(root, { recursive: true, force: true });
  };
  const started = await Promise.allSettled(names.map((name) => startPopProcess(dir, { name, nats: nats.url, dataDir: join(root, name) })));
  for (const result of started) {
    if (result.status === "rejected") continue;
    pops[result.value.name] = result.value;
    clients[result.value.name] = new Client(result.value.url);
  }
  const failed = started.find((result) => result.status === "rejected");
  if (failed) {
    await close();
    throw failed.reason;
  }
  return { nats, pops, clients, close };
}
