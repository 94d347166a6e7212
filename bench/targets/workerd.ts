/**
 * @module Starts workerd (the devDependency's binary) on a generated capnp
 * config: one or more module-worker services, one HTTP socket on a loopback
 * port that workerd picks and reports on its control fd.
 */
import { spawn } from "node:child_process";
import { copyFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { exitOf, stop, track } from "./children.js";
import type { Target } from "./target.js";

/** One service: a worker module file, and the services it may call by binding name. */
export interface WorkerdService {
  name: string;
  /** Absolute path of the module; copied next to the config. */
  file: string;
  /** Service bindings: binding name = service name. */
  bindings?: string[];
}

export interface WorkerdTarget extends Target {
  /** From spawn to the socket listening: workerd loads every service before it listens. */
  startupMs: number;
}

/** The npm package's API: the binary's path, its version and the newest compatibility date it accepts. */
const workerd = createRequire(import.meta.url)("workerd") as { default: string; version: string; compatibilityDate: string };

/** The workerd npm version, e.g. "1.20261117.1". */
export const workerdVersion = (): string => workerd.version;

function serviceConfig(service: WorkerdService, date: string): string {
  const bindings = (service.bindings ?? []).map((name) => `(name = "${name}", service = "${name}")`).join(", ");
  return `    (name = "${service.name}", worker = (modules = [(name = "worker.js", esModule = embed "${service.name}.js")], compatibilityDate = "${date}", bindings = [${bindings}])),`;
}

/** Writes `<dir>/config.capnp` and the modules next to it; `entry` is the service behind the socket. */
export function writeConfig(dir: string, services: WorkerdService[], entry: string): string {
  const date = workerd.compatibilityDate;
  for (const service of services) copyFileSync(service.file, join(dir, `${service.name}.js`));
  const config = [
    `using Workerd = import "/workerd/workerd.capnp";`,
    `const config :Workerd.Config = (`,
    `  services = [`,
    ...services.map((service) => serviceConfig(service, date)),
    `  ],`,
    `  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "${entry}")],`,
    `);`,
    ``,
  ].join("\n");
  const path = join(dir, "config.capnp");
  writeFileSync(path, config);
  return path;
}

function listenPort(child: ReturnType<typeof spawn>): Promise<number> {
  return new Promise((resolve, reject) => {
    let buffered = "";
    const control = child.stdio[3] as NodeJS.ReadableStream;
    control.setEncoding("utf8");
    control.on("data", (data: string) => {
      buffered += data;
      for (const line of buffered.split("\n").slice(0, -1)) {
        const event = JSON.parse(line) as { event: string; port?: number };
        if (event.event === "listen" && event.port) resolve(event.port);
      }
      buffered = buffered.slice(buffered.lastIndexOf("\n") + 1);
    });
    control.on("error", reject);
  });
}

/** Starts workerd on the config written by writeConfig. */
export async function startWorkerd(configPath: string): Promise<WorkerdTarget> {
  const started = performance.now();
  const child = track(spawn(workerd.default, ["serve", configPath, "--control-fd=3"], { stdio: ["ignore", "inherit", "inherit", "pipe"] }));
  try {
    const port = await Promise.race([listenPort(child), exitOf(child, "workerd")]);
    return { name: "workerd", url: `http://127.0.0.1:${port}`, pid: child.pid!, startupMs: performance.now() - started, close: () => stop(child) };
  } catch (error) {
    await stop(child);
    throw error;
  }
}
