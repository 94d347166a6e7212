/**
 * @module `verge pop [entry|dir]`: one PoP as its own process, joining a
 * cluster of PoPs through NATS JetStream. It serves the worker given, or,
 * with none, whatever the control plane (`verge start --nats`) deploys; it
 * serves from its local replicas (kept under `--data-dir`), replicates
 * through NATS, keeps serving reads while NATS is away and catches up when
 * it is back.
 */
import { loadWorkerConfig } from "../../config/index.js";
import { VergeError } from "../../errors.js";
import { followControlPlane } from "../../control/follower/pop-follower.js";
import { loadSecretsKey } from "../../control/secrets/secrets-key.js";
import { PopMetrics, startMetricsServer } from "../../observe/metrics/index.js";
import { Pop, type RequestLog } from "../../pop/server.js";
import type { HostedWorker } from "../../pop/worker-set.js";
import { createNatsSubstrate } from "../../substrate/nats/index.js";
import { parse, portOption } from "../args.js";
import { parseVars } from "../dev-options.js";
import { reportNatsStatus } from "../nats-status.js";
import { dataDirOption, natsServers, objectLeaseOption, popIdentity, popOriginOption, tracingOption } from "../pop-options.js";
import { cronLine, printRequest, printRequestJson } from "../request-line.js";
import { untilSignal } from "../signals.js";
import { hostedWorkerFrom } from "./dev.js";

/** `--log pretty|json`. */
function logOption(value: unknown): (log: RequestLog) => void {
  if (value === undefined || value === "pretty") return (log) => printRequest(log);
  if (value === "json") return printRequestJson;
  throw new VergeError("usage", `--log must be pretty or json: received "${String(value)}"`);
}

/** The secrets key of a following PoP: the file, else VERGE_SECRETS_KEY, else none (workers with secrets then fail to load). */
function secretsKeyOption(file: unknown): Buffer | null {
  try {
    return loadSecretsKey(file as string | undefined);
  } catch (error) {
    throw new VergeError("usage", `--secrets-key-file: ${(error as Error).message}`, { cause: error });
  }
}

export const popHelp = `Usage: verge pop [entry|dir] --name <pop> --nats <url> [options]

Runs one PoP of a cluster at http://127.0.0.1:<port>, serving the worker in
[entry|dir] (an entry file, or a directory with wrangler.toml / wrangler.jsonc).
Without one, it serves whatever is deployed through the control plane
(verge start --nats <url>), and runs the deployed cron triggers. PoPs share KV
and the rest of their data through NATS JetStream; reads are served from this
PoP's local replicas.

Options:
  --name <pop>          PoP name (required): x-verge-pop, request.cf.colo; a
                        region (e.g. tokyo) unless --region gives one
  --region <region>     The region the PoP stands in (default: its name)
  --nats <url[,url…]>   NATS server(s) of the cluster (required), e.g.
                        nats://127.0.0.1:4222
  --port <n>            Port to listen on (default 8787; 0: a free port)
  --host <addr>         Address to listen on (default 127.0.0.1)
  --data-dir <dir>      Where the PoP keeps its replicas (default
                        .verge/pop-<name> under the current directory); a
                        restart on the same directory resumes where it stopped
  --object-lease <ms>   How long this PoP's hold on a Durable Object lasts
                        without renewal (default 10000): if the PoP dies, its
                        objects move to another PoP after this long
  --allow-local-fetch   Let the worker fetch loopback and private addresses
  --origin <url>        Origin behind the PoP, in env.ORIGIN (unless the config
                        sets ORIGIN); requests of a worker that called
                        ctx.passThroughOnException() and then failed go there
  --var <KEY=VALUE>     Set an env var (repeatable; overrides wrangler vars)
  --secrets-key-file <f>  Without an entry: the key of the deployed workers'
                        secrets, the same as the control plane's (default
                        VERGE_SECRETS_KEY)
  --metrics-port <n>    Serve Prometheus /metrics on this port (0: a free port;
                        default: none)
  --otlp-endpoint <url> Export request spans over OTLP/HTTP there (default
                        OTEL_EXPORTER_OTLP_ENDPOINT; none: tracing off)
  --trace-sample <r>    Share of requests traced, 0 to 1 (default 0.05);
                        failed requests are always exported
  --log <pretty|json>   The line per request: for people (default), or one JSON
                        object per request
  --quiet               No per-request lines
  -h, --help            Show this help

NATS unreachable at start: the PoP starts serving anyway and retries the
connection forever, saying so every 30 s. NATS lost later: reads go on from
the local replicas, writes wait for the reconnect, and replication resumes
from the last record applied. SIGTERM or Ctrl-C drains requests in flight.`;

const options = {
  name: { type: "string" },
  region: { type: "string" },
  nats: { type: "string" },
  port: { type: "string" },
  host: { type: "string" },
  "data-dir": { type: "string" },
  "object-lease": { type: "string" },
  "allow-local-fetch": { type: "boolean" },
  origin: { type: "string" },
  var: { type: "string", multiple: true },
  "secrets-key-file": { type: "string" },
  "metrics-port": { type: "string" },
  log: { type: "string" },
  "otlp-endpoint": { type: "string" },
  "trace-sample": { type: "string" },
  quiet: { type: "boolean" },
} as const;

export async function pop(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, options);
  if (positionals.length > 1) throw new VergeError("usage", `verge pop takes one worker entry or directory: received ${positionals.map((p) => `"${p}"`).join(", ")}`);
  const identity = popIdentity(values.name, values.region);
  const servers = natsServers(values.nats);
  const port = portOption(values.port, 8787);
  const hostname = (values.host as string | undefined) ?? "127.0.0.1";
  const dataDir = dataDirOption(values["data-dir"], identity.name);
  const origin = popOriginOption(values.origin);
  const leaseMs = objectLeaseOption(values["object-lease"]);
  const vars = parseVars(values.var);
  const metricsPort = values["metrics-port"] === undefined ? null : portOption(values["metrics-port"], 0, "--metrics-port");
  const printLog = logOption(values.log);
  const tracing = tracingOption(values["otlp-endpoint"], values["trace-sample"]);
  // No entry: the PoP serves what the control plane deploys.
  const following = positionals.length === 0;
  const secretsKey = following ? secretsKeyOption(values["secrets-key-file"]) : null;
  let worker: HostedWorker | null = null;
  let label = "deployed workers";
  if (!following) {
    const config = await loadWorkerConfig(positionals[0]);
    for (const warning of config.warnings) console.warn(`warning: ${warning}`);
    // env.ORIGIN is the origin's URL, unless the config has its own; --var still wins.
    worker = (await hostedWorkerFrom(config, origin !== undefined && config.vars.ORIGIN === undefined ? { ORIGIN: origin, ...vars } : vars)).worker;
    label = `${config.name} (version ${worker.definition.version})`;
  }

  const substrate = createNatsSubstrate({ servers });
  const view = substrate.forPop(identity.name, { region: identity.region });
  let server: Pop;
  try {
    server = await Pop.start({
      name: identity.name,
      region: identity.region,
      substrate: view,
      dataDir,
      port,
      hostname,
      egress: { allowLocal: Boolean(values["allow-local-fetch"]) },
      origin,
      bindings: { durableObjects: { leaseMs } },
      tracing,
      onRequest: values.quiet ? undefined : printLog,
    });
  } catch (error) {
    await substrate.close();
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") throw new VergeError("usage", `--port ${port}: ${hostname}:${port} is in use`, { cause: error });
    throw error;
  }
  if (worker) server.setWorkers([worker]);
  const stopReporting = reportNatsStatus(view, servers);
  const metrics = metricsPort === null ? null : PopMetrics.attach(server);
  const metricsServer = metrics && (await startMetricsServer({ port: metricsPort!, hostname, metrics: () => metrics.metrics() }));
  // Following starts in the background: with NATS away, the PoP serves (nothing yet) and catches up once it is back.
  const follower = following
    ? followControlPlane(server, {
        secretsKey,
        onError: (message) => console.error(`verge pop: ${message}`),
        onCron: (run) => values.quiet || console.log(cronLine(run)),
      })
    : null;
  follower?.catch((error: Error) => console.error(`verge pop: cannot follow the control plane: ${error.message}`));
  // The signal handlers go in before the URL is printed: whoever reads it may stop us at once.
  const stopped = untilSignal("verge pop", async () => {
    stopReporting();
    await (await follower?.catch(() => null))?.close();
    await metricsServer?.close();
    metrics?.close();
    await server.close();
    await substrate.close();
  });
  const metricsNote = metricsServer ? `, metrics ${metricsServer.url}` : "";
  console.log(`verge pop: ${label} at ${server.url} (pop ${identity.name}, region ${identity.region}, nats ${servers.join(",")}, data ${dataDir}${metricsNote})`);
  await stopped;
}
