/**
 * @module `verge start`: the platform on this machine. The control plane
 * (API and dashboard) and PoPs serving whatever is deployed, sharing one
 * embedded substrate kept under the data directory; or, with `--nats`, the
 * control plane alone for a cluster whose PoPs run `verge pop --nats` with
 * no entry.
 */
import { join, resolve } from "node:path";
import { ControlPlane } from "../../control/control-plane.js";
import { ControlError } from "../../control/errors.js";
import { followControlPlane, type PopFollower } from "../../control/follower/pop-follower.js";
import { loadOrCreateSecretsKey, loadSecretsKey } from "../../control/secrets/secrets-key.js";
import type { CronRunReport } from "../../cron/index.js";
import { VergeError } from "../../errors.js";
import { DEFAULT_METRICS_PORT, mergedMetrics, PopMetrics, startMetricsServer, type MetricsServer } from "../../observe/metrics/index.js";
import type { SubstrateView, Substrate } from "../../substrate/types.js";
import { createNatsSubstrate } from "../../substrate/nats/index.js";
import { parse, portOption } from "../args.js";
import { DevNetwork, popNames } from "../dev-network.js";
import { natsServers, tracingOption } from "../pop-options.js";
import { cronLine, printRequestJson } from "../request-line.js";
import { untilSignal } from "../signals.js";

export const startHelp = `Usage: verge start [options]

Starts the platform on this machine: the control plane (API and dashboard)
and PoPs serving whatever is deployed to them with verge deploy. On the first
start of a data directory it prints an admin token, once.

Options:
  --pops <r1,r2,…>        One PoP per region (default tokyo,frankfurt,virginia)
  --port <n>              The first PoP's port (default 8787); the next PoP gets
                          port+1, and so on (0: free ports)
  --api-port <n>          The control API and dashboard's port (default 8786)
  --host <addr>           Address to listen on (default 127.0.0.1)
  --data-dir <dir>        Where deployments, tokens, secrets and the PoPs' data
                          are kept (default .verge)
  --secrets-key-file <f>  The key that encrypts secrets (64 hex digits); default
                          VERGE_SECRETS_KEY, else <data-dir>/secrets.key, made
                          on first start
  --nats <url[,url…]>     Run only the control plane, for a cluster on NATS
                          whose PoPs run "verge pop --nats <url> --name <pop>"
  --metrics-port <n>      Prometheus /metrics of every PoP, labelled by pop
                          (default 9464; 0: a free port)
  --otlp-endpoint <url>   Export request spans over OTLP/HTTP there (default
                          OTEL_EXPORTER_OTLP_ENDPOINT; none: tracing off)
  --trace-sample <r>      Share of requests traced, 0 to 1 (default 0.05);
                          failed requests are always exported
  --allow-local-fetch     Let workers fetch loopback and private addresses
  --quiet                 No JSON line per request
  -h, --help              Show this help

Output: the URLs, then one JSON line per request and per cron run.`;

const options = {
  pops: { type: "string" },
  port: { type: "string" },
  "api-port": { type: "string" },
  host: { type: "string" },
  "data-dir": { type: "string" },
  "secrets-key-file": { type: "string" },
  nats: { type: "string" },
  "metrics-port": { type: "string" },
  "otlp-endpoint": { type: "string" },
  "trace-sample": { type: "string" },
  "allow-local-fetch": { type: "boolean" },
  quiet: { type: "boolean" },
} as const;

const DEFAULT_POPS = "tokyo,frankfurt,virginia";

export async function start(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, options);
  if (positionals.length > 0) throw new VergeError("usage", `verge start takes no worker: deploy one with verge deploy (received ${positionals.map((p) => `"${p}"`).join(", ")})`);
  const port = portOption(values.port, 8787);
  const apiPort = portOption(values["api-port"], 8786, "--api-port");
  const metricsPort = portOption(values["metrics-port"], DEFAULT_METRICS_PORT, "--metrics-port");
  const hostname = (values.host as string | undefined) ?? "127.0.0.1";
  const dataDir = resolve((values["data-dir"] as string | undefined) ?? ".verge");
  const names = values.nats === undefined ? popNames((values.pops as string | undefined) ?? DEFAULT_POPS) : [];
  const servers = values.nats === undefined ? null : natsServers(values.nats);
  const quiet = Boolean(values.quiet);
  const tracing = tracingOption(values["otlp-endpoint"], values["trace-sample"]);
  const secretsKey = asUsage(() => loadSecretsKey(values["secrets-key-file"] as string | undefined) ?? loadOrCreateSecretsKey(join(dataDir, "secrets.key")));

  let network: DevNetwork | null = null;
  let substrate: Substrate;
  let view: SubstrateView;
  if (servers) {
    substrate = createNatsSubstrate({ servers });
    // A view stands in a region; the control plane's only serves the latency model of the embedded substrate.
    view = substrate.forPop("control", { region: "virginia" });
  } else {
    network = await DevNetwork.start({
      names,
      port,
      hostname,
      dev: false,
      tracing,
      egress: { allowLocal: Boolean(values["allow-local-fetch"]) },
      dataDir,
      onRequest: quiet ? undefined : printRequestJson,
    });
    substrate = network.substrate;
    view = network.substrate.forPop("control", { region: network.substrate.home });
  }
  let control: ControlPlane;
  try {
    control = await ControlPlane.start({ view, port: apiPort, hostname, secretsKey, dataDir });
  } catch (error) {
    await (network ? network.close() : substrate.close());
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") throw new VergeError("usage", `--api-port ${apiPort}: ${hostname}:${apiPort} is in use`, { cause: error });
    throw error;
  }
  const followers: PopFollower[] = [];
  const onError = (message: string) => console.error(`verge start: ${message}`);
  const onCron = (run: CronRunReport) => quiet || process.stdout.write(`${cronLine(run)}\n`);
  for (const pop of network?.pops ?? []) followers.push(await followControlPlane(pop, { secretsKey, onError, onCron }));
  const metrics = (network?.pops ?? []).map((pop) => PopMetrics.attach(pop));
  let metricsServer: MetricsServer | null = null;
  if (network) {
    try {
      metricsServer = await startMetricsServer({ port: metricsPort, hostname, metrics: () => mergedMetrics(metrics) });
    } catch (error) {
      await Promise.all(followers.map((follower) => follower.close()));
      await control.close();
      await network.close();
      if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") throw new VergeError("usage", `--metrics-port ${metricsPort}: ${hostname}:${metricsPort} is in use`, { cause: error });
      throw error;
    }
  }
  const token = await control.bootstrapToken();

  const stopped = untilSignal("verge start", async () => {
    await metricsServer?.close();
    for (const each of metrics) each.close();
    await Promise.all(followers.map((follower) => follower.close()));
    await control.close();
    await (network ? network.close() : substrate.close());
  });
  const lines = [`verge start: control API at ${control.url}/v1`, `verge start: dashboard at ${control.url}/`];
  for (const pop of network?.pops ?? []) lines.push(`verge start: pop ${pop.name} at ${pop.url}`);
  if (metricsServer) lines.push(`verge start: metrics at ${metricsServer.url}`);
  if (servers) lines.push(`verge start: control plane for the PoPs on nats ${servers.join(",")}; give them the secrets key (--secrets-key-file)`);
  if (token) lines.push("verge start: admin token (shown once; stored hashed):", `export VERGE_API_URL=${control.url}`, `export VERGE_API_TOKEN=${token}`);
  lines.push("verge start: ready");
  console.log(lines.join("\n"));
  await stopped;
}

/** A control-plane error of the command's own input (the secrets key) as a usage error. */
function asUsage<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ControlError) throw new VergeError("usage", error.message, { cause: error });
    throw error;
  }
}
