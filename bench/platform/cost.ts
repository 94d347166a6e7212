/**
 * @module What a PoP pays per request under `verge start` (`--only
 * platform`): hello world on two Verge PoPs (child processes), one bare as in
 * the throughput rows and one as `verge start` runs it (bench/platform/
 * platform-pop.ts: following a control plane, with its traffic report, its
 * tail publisher with no tail open and Prometheus metrics on every request),
 * loaded with wrk in turn (bench/targets/alternated-load.ts). The cost is the
 * drop in requests per second; the PoP's CPU time per request is beside it.
 */
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { bundleWorker } from "../../src/bundler/index.js";
import { verifyTarget } from "../load/verify.js";
import type { BenchOptions } from "../options.js";
import { mainThreadProfile } from "../profile.js";
import { loadAlternated, type AlternatedResult, type Side } from "../targets/alternated-load.js";
import { startVerge, type VergeTarget } from "../targets/verge.js";
import type { PlatformCounts } from "./platform-pop.js";
import { WORKLOADS } from "../workloads.js";

/** The bare PoP is the base, the platform PoP the variant; the platform's counts include the warm-up and the verifying request. */
export type PlatformCostResult = AlternatedResult & PlatformCounts & { profiles?: Record<Side, string | undefined> };

/** A traffic report leaves every second: wait for the one after the last run. */
const REPORT_INTERVAL_MS = 1000;

/** With `profileDir`, each child writes a V8 CPU profile there (`bare/`, `platform/`), found once it has exited. */
export async function runPlatformCost(options: BenchOptions, scratchDir: string, profileDir?: string): Promise<PlatformCostResult> {
  const hello = WORKLOADS.find((w) => w.name === "hello")!;
  const { code } = await bundleWorker(hello.entry);
  const targets: Partial<Record<Side, VergeTarget>> = {};
  const profileDirs = { base: profileDir && join(profileDir, "bare"), variant: profileDir && join(profileDir, "platform") };
  try {
    targets.base = await startVerge({ poolSize: options.poolSize, cpuProfileDir: profileDirs.base });
    targets.variant = await startVerge({ poolSize: options.poolSize, cpuProfileDir: profileDirs.variant, platform: true });
    const labels = { base: "a bare verge PoP", variant: "a verge PoP as verge start runs it" };
    for (const side of ["base", "variant"] as const) {
      await targets[side]!.setWorkers([{ name: hello.name, code, routes: [`${hello.host}/*`] }]);
      await verifyTarget(labels[side], targets[side]!.url, hello);
    }
    const result = await loadAlternated({ base: targets.base, variant: targets.variant }, labels, hello, options, scratchDir);
    await sleep(REPORT_INTERVAL_MS + 200);
    const counts = await targets.variant.platformCounts();
    await Promise.all(Object.values(targets).map((target) => target.close()));
    const profileOf = (side: Side) => profileDirs[side] && mainThreadProfile(profileDirs[side], targets[side]!.pid);
    return { ...result, ...counts, profiles: profileDir ? { base: profileOf("base"), variant: profileOf("variant") } : undefined };
  } finally {
    await Promise.all(Object.values(targets).map((target) => target.close()));
  }
}
