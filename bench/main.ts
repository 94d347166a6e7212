/**
 * @module `npm run bench`: Verge next to workerd and bare node:http on this
 * machine: throughput and latency (wrk), cold starts over 200 workers, idle
 * memory per isolate; and Verge's network figures: a KV read in a worker, KV
 * propagation and purges across PoPs, edge versus origin by region, Durable
 * Objects (same PoP, forwarded, WebSocket round trips, durable writes,
 * transactions per second); tracing's cost; what a PoP pays per request under
 * `verge start`; and a deploy call until every PoP serves the new version.
 * Prints one table with ratios and the goals, and writes
 * bench/.results/<timestamp>.json.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { coldWorkerFiles, runVergeCold, type VergeColdResult } from "./cold-start.js";
import { runWorkerdCold, type WorkerdColdResult } from "./cold-start-workerd.js";
import { runDeployLatency, type DeployLatencyResult } from "./deploy/latency.js";
import { checkGoals } from "./goals.js";
import { ensureWrk } from "./load/wrk-install.js";
import { runNetwork } from "./network/index.js";
import { noteLines } from "./notes.js";
import { parseOptions, type BenchOptions } from "./options.js";
import { runPlatformCost, type PlatformCostResult } from "./platform/cost.js";
import { topSelfTime } from "./profile.js";
import { renderReport } from "./report.js";
import { machine, RESULTS_DIR, timestamp, writeResults } from "./results.js";
import { runThroughput } from "./throughput.js";
import { runTracingCost, type TracingCostResult } from "./tracing/cost.js";

const PRELUDE = fileURLToPath(new URL("../dist/prelude.js", import.meta.url));

function failure(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Cold start and memory on Verge, then (unless skipped) the same workers on workerd; failures go to `errors`. */
async function runCold(options: BenchOptions, scratchDir: string, errors: string[]): Promise<{ vergeCold?: VergeColdResult; workerdCold?: WorkerdColdResult }> {
  process.stderr.write(`bench: cold start and memory, ${options.coldWorkers} workers on Verge\n`);
  const files = await coldWorkerFiles(join(scratchDir, "cold"), options.coldWorkers);
  let vergeCold: VergeColdResult | undefined;
  let workerdCold: WorkerdColdResult | undefined;
  try {
    vergeCold = await runVergeCold(files, options.poolSize);
  } catch (error) {
    errors.push(`verge cold start: ${failure(error)}`);
  }
  if (!options.skipWorkerdCold) {
    process.stderr.write(`bench: the same ${options.coldWorkers} workers on workerd\n`);
    try {
      workerdCold = await runWorkerdCold(scratchDir, files);
    } catch (error) {
      errors.push(`workerd cold start: ${failure(error)}`);
    }
  }
  return { vergeCold, workerdCold };
}

/** Tracing off against tracing at 5% sampling; a failure goes to `errors`. */
async function runTracing(options: BenchOptions, scratchDir: string, errors: string[]): Promise<TracingCostResult | undefined> {
  process.stderr.write("bench: tracing cost, hello world with tracing off and at 5% sampling\n");
  try {
    return await runTracingCost(options, scratchDir);
  } catch (error) {
    errors.push(`tracing cost: ${failure(error)}`);
    return undefined;
  }
}

/** A bare PoP against one as `verge start` runs it; a failure goes to `errors`. */
async function runPlatform(options: BenchOptions, scratchDir: string, profileDir: string | undefined, errors: string[]): Promise<PlatformCostResult | undefined> {
  process.stderr.write("bench: verge start cost, hello world on a bare PoP and on one following a control plane with metrics\n");
  try {
    return await runPlatformCost(options, scratchDir, profileDir && join(profileDir, "platform"));
  } catch (error) {
    errors.push(`verge start cost: ${failure(error)}`);
    return undefined;
  }
}

/** Deployments timed until every PoP serves them; a failure goes to `errors`. */
async function runDeploy(options: BenchOptions, scratchDir: string, errors: string[]): Promise<DeployLatencyResult | undefined> {
  process.stderr.write(`bench: deploy latency, ${options.deployments} deployments to three PoPs\n`);
  try {
    return await runDeployLatency(options.deployments, scratchDir);
  } catch (error) {
    errors.push(`deploy latency: ${failure(error)}`);
    return undefined;
  }
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (!existsSync(PRELUDE)) throw new Error(`Verge is not built (${PRELUDE} is missing): run "node scripts/build.mjs"`);
  const wrk = options.parts.throughput || options.parts.tracing || options.parts.platform ? ensureWrk() : "wrk not used";
  const stamp = timestamp();
  const host = machine(wrk);
  const scratchDir = mkdtempSync(join(tmpdir(), "verge-bench-"));
  const errors: string[] = [];
  try {
    const profileDir = options.cpuProf ? join(RESULTS_DIR, `${stamp}-profiles`) : undefined;
    const throughput = options.parts.throughput ? await runThroughput({ options, scratchDir, profileDir }) : [];
    errors.push(...throughput.filter((r) => r.error).map((r) => `${r.target} ${r.workload}: ${r.error}`));
    const { vergeCold, workerdCold } = options.parts.cold ? await runCold(options, scratchDir, errors) : {};
    const network = options.parts.network ? await runNetwork(options.network, errors) : undefined;
    const tracing = options.parts.tracing ? await runTracing(options, scratchDir, errors) : undefined;
    const platform = options.parts.platform ? await runPlatform(options, scratchDir, profileDir, errors) : undefined;
    const deploy = options.parts.deploy ? await runDeploy(options, scratchDir, errors) : undefined;
    const platformProfiles = [{ workload: "hello, bare PoP", profile: platform?.profiles?.base }, { workload: "hello, PoP under verge start", profile: platform?.profiles?.variant }];
    const profiles = [...throughput, ...platformProfiles].filter((r) => r.profile && existsSync(r.profile)).map((r) => ({ workload: r.workload, file: relative(process.cwd(), r.profile!), ...topSelfTime(r.profile!) }));
    const goals = checkGoals(throughput, vergeCold, network, tracing, deploy, platform);
    const load = options.parts.throughput || options.parts.tracing || options.parts.platform ? `; wrk ${options.threads} threads x ${options.connections} connections, ${options.warmupS} s warm-up + ${options.durationS} s measured` : "";
    const header = `Verge bench ${stamp}: ${host.cpus} CPUs (${host.cpuModel}), node ${host.node}, workerd ${host.workerd}, ${host.wrk}${load}`;
    const notes = noteLines({ options, vergeCold, workerdCold, network, tracing, platform, deploy, profiles, errors, loadBefore: host.loadAverage, loadAfter: loadavg() });
    process.stdout.write(renderReport({ header, parts: options.parts, throughput, vergeCold, workerdCold, network, tracing, platform, deploy, goals, notes }));
    const path = writeResults(stamp, { timestamp: stamp, machine: host, options, throughput, coldStart: { verge: vergeCold, workerd: workerdCold }, network, tracing, platform, deploy, goals, profiles, errors, loadAverageAfter: loadavg() });
    process.stdout.write(`Results: ${path}\n`);
    return errors.length > 0 ? 1 : 0;
  } finally {
    rmSync(scratchDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench: ${failure(error)}\n`);
    process.exit(1);
  },
);
