/** @module Finds the `nats-server` executable, installing the Debian package when it is missing. */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** Thrown when no `nats-server` can be found or installed, or it will not start. */
export class NatsServerError extends Error {
  override readonly name = "NatsServerError";
}

const WELL_KNOWN = ["/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server"];

function lookup(): string | null {
  const fromEnv = process.env["NATS_SERVER_BIN"];
  if (fromEnv) return fs.existsSync(fromEnv) ? fromEnv : null;
  const dirs = (process.env["PATH"] ?? "").split(path.delimiter).filter(Boolean);
  for (const candidate of [...dirs.map((dir) => path.join(dir, "nats-server")), ...WELL_KNOWN]) {
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // try the next one
    }
  }
  return null;
}

function run(command: string, args: string[]): { ok: boolean; output: string } {
  const sudo = process.getuid?.() !== 0;
  const result = spawnSync(sudo ? "sudo" : command, sudo ? ["-n", command, ...args] : args, {
    encoding: "utf8",
    timeout: 180_000,
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}${result.error ? String(result.error) : ""}`;
  return { ok: result.status === 0, output: output.slice(-2000) };
}

let cached: string | undefined;

/**
 * The path of `nats-server` (`$NATS_SERVER_BIN`, `$PATH`, then /usr/sbin).
 * When absent, runs `apt-get install -y nats-server` (after `apt-get update`
 * if the first attempt fails) and throws `NatsServerError` if that fails.
 */
export function natsServerBinary(): string {
  if (cached) return cached;
  let found = lookup();
  if (!found) {
    let attempt = run("apt-get", ["install", "-y", "nats-server"]);
    if (!attempt.ok) {
      const update = run("apt-get", ["update"]);
      attempt = update.ok ? run("apt-get", ["install", "-y", "nats-server"]) : update;
    }
    found = lookup();
    if (!found) {
      throw new NatsServerError(
        "nats-server is not installed and `apt-get install -y nats-server` failed; install it (Debian/Ubuntu: apt-get install nats-server, " +
          `or a release from https://github.com/nats-io/nats-server/releases) or set NATS_SERVER_BIN. apt-get said:\n${attempt.output}`,
      );
    }
  }
  cached = found;
  return found;
}

/** The version `nats-server --version` prints, e.g. "2.9.10". */
export function natsServerVersion(binary: string): string {
  const result = spawnSync(binary, ["--version"], { encoding: "utf8", timeout: 10_000 });
  return /v?(\d+\.\d+\.\d+)/.exec(`${result.stdout}${result.stderr}`)?.[1] ?? "unknown";
}

/** True when `config` passes `nats-server -t` (used to probe optional settings). */
export function configIsValid(binary: string, configFile: string): { ok: boolean; output: string } {
  const result = spawnSync(binary, ["-t", "-c", configFile], { encoding: "utf8", timeout: 10_000 });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}`.trim() };
}
