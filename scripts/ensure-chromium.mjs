// Makes sure the headless browser of the dashboard's test is installed:
// Debian's `chromium` package at /usr/bin/chromium, driven by playwright-core
// (which never downloads a browser here). When it is missing, installs it with
// apt-get (as root), saying what it runs; fails with a clear message when apt
// cannot. `node scripts/ensure-chromium.mjs` exits 0 once the browser is there.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const CHROMIUM = "/usr/bin/chromium";
const INSTALL = ["apt-get", ["install", "-y", "--no-install-recommends", "chromium"]];
const UPDATE = ["apt-get", ["update"]];

function run([command, args]) {
  console.log(`ensure-chromium: running ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  if (result.error) return `${command} could not be started: ${result.error.message}`;
  return result.status === 0 ? null : `${command} ${args.join(" ")} exited with ${result.status ?? result.signal}`;
}

function fail(reason) {
  console.error(`ensure-chromium: ${CHROMIUM} is missing and could not be installed: ${reason}`);
  console.error("ensure-chromium: install it by hand (as root): apt-get install -y --no-install-recommends chromium");
  process.exit(1);
}

if (existsSync(CHROMIUM)) {
  console.log(`ensure-chromium: ${CHROMIUM} is installed`);
} else {
  if (process.getuid?.() !== 0) fail("apt-get needs root, and this runs as uid " + process.getuid?.());
  console.log(`ensure-chromium: ${CHROMIUM} is missing; installing Debian's chromium package`);
  // A fresh machine may have no package lists yet: update once, then try again.
  const first = run(INSTALL);
  const failure = first === null ? null : (run(UPDATE) ?? run(INSTALL));
  if (failure !== null) fail(failure);
  if (!existsSync(CHROMIUM)) fail(`apt-get succeeded but ${CHROMIUM} is still not there`);
  console.log(`ensure-chromium: installed ${CHROMIUM}`);
}
