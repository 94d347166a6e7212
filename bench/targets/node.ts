/** @module Starts the bare node:http peer (bench/targets/node-child.ts) in a child process. */
import { fork } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { exitOf, stop, track } from "./children.js";
import type { Target } from "./target.js";

const CHILD = fileURLToPath(new URL("./node-child.ts", import.meta.url));

export async function startNode(): Promise<Target> {
  const child = track(fork(CHILD, [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] }));
  try {
    const [message] = (await Promise.race([once(child, "message"), exitOf(child, "The node:http child")])) as [{ port: number }];
    return { name: "node", url: `http://127.0.0.1:${message.port}`, pid: child.pid!, close: () => stop(child) };
  } catch (error) {
    await stop(child);
    throw error;
  }
}
