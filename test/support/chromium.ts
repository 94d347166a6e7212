/**
 * @module Test support: a headless Chromium for browser tests. Debian's
 * `chromium` (installed on first use by scripts/ensure-chromium.mjs) driven by
 * playwright-core, which never downloads a browser here; a fresh profile per
 * launch, and none of Chromium's own network chatter (the machine has no
 * network but loopback).
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { chromium, type BrowserContext } from "playwright-core";

export const CHROMIUM_PATH = "/usr/bin/chromium";
const ENSURE_SCRIPT = fileURLToPath(new URL("../../scripts/ensure-chromium.mjs", import.meta.url));

/** Chromium's switches: headless, no sandbox (tests run as root), and no background traffic. */
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

let ensured: Promise<void> | undefined;

/** Installs Chromium when it is missing (once per process), failing with the script's own words. */
export function ensureChromium(): Promise<void> {
  ensured ??= promisify(execFile)(process.execPath, [ENSURE_SCRIPT], { timeout: 10 * 60_000, maxBuffer: 64 * 1024 * 1024 }).then(
    () => undefined,
    (error: Error & { stdout?: string; stderr?: string }) => {
      ensured = undefined;
      throw new Error(`Chromium is not available for the browser tests:\n${error.stdout ?? ""}${error.stderr ?? error.message}`, { cause: error });
    },
  );
  return ensured;
}

/** A launched browser with its own profile; close() ends it and removes the profile. */
export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Ensures Chromium, then launches it headless with a fresh `--user-data-dir`. */
export async function launchChromium(): Promise<TestBrowser> {
  await ensureChromium();
  const profile = await mkdtemp(join(tmpdir(), "verge-chromium-"));
  try {
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: ARGS, timeout: 30_000 });
    return {
      context,
      async close() {
        await context.close();
        await rm(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
}
