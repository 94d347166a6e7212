/** @module Makes sure wrk is on PATH: installs it with apt-get when missing (apt-get update first if the install fails). */
import { spawnSync } from "node:child_process";

function hasWrk(): boolean {
  const probe = spawnSync("wrk", ["-v"], { encoding: "utf8" });
  return !probe.error && /wrk/.test(`${probe.stdout}${probe.stderr}`);
}

function apt(args: string[]): boolean {
  const root = process.getuid?.() === 0;
  const [command, argv] = root ? ["apt-get", args] : ["sudo", ["-n", "apt-get", ...args]];
  process.stderr.write(`bench: running ${[command, ...argv].join(" ")}\n`);
  const result = spawnSync(command, argv, { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  return !result.error && result.status === 0;
}

/** The `wrk -v` banner; installs wrk first when it is missing. Throws with what to do when it cannot. */
export function ensureWrk(): string {
  if (!hasWrk()) {
    process.stderr.write("bench: wrk is not installed; installing it with apt-get\n");
    const installed = apt(["install", "-y", "wrk"]) || (apt(["update"]) && apt(["install", "-y", "wrk"]));
    if (!installed || !hasWrk()) {
      throw new Error("wrk is required and could not be installed: run `apt-get install -y wrk` (as root) or put wrk on PATH");
    }
  }
  const banner = spawnSync("wrk", ["-v"], { encoding: "utf8" });
  return /wrk \S+/.exec(`${banner.stdout}${banner.stderr}`)?.[0] ?? "wrk";
}
