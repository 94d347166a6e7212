/**
 * @module `verge pop [entry|dir]`: one PoP as its own process, joining a
 * cluster of PoPs through NATS JetStream. It serves the worker from its local
 * replicas (kept under `--data-dir`), replicates through NATS, keeps serving
 * reads while NATS is away and catches up when it is back.
 */
import { loadWorkerConfig } from "../../config/index.js";
import { VergeError } from "../../errors.js";
import { Pop } from "../../pop/server.js";
import { createNatsSubstrate } from "../../substrate/nats/index.js";
import { parse, portOption } from "../args.js";
import { parseVars } from "../dev-options.js";
import { reportNatsStatus } from "../nats-status.js";
import { dataDirOption, natsServers, objectLeaseOption, popIdentity, popOriginOption } from "../pop-options.js";
import { printRequest } from "../request-line.js";
import { untilSignal } from "../signals.js";
import { hostedWorkerFrom } from "./dev.js";

export const popHelp = `Usage: verge pop [entry|dir] --name <pop> --nats <url> [options]

Runs one PoP of a cluster at http://127.0.0.1:<port>, serving the worker in
[entry|dir] (an entry file, or a directory with wrangler.toml / wrangler.jsonc;
default: the current directory). PoPs share KV and the rest of their data
through NATS JetStream; reads are served from this PoP's local replicas.

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
  const config = await loadWorkerConfig(positionals[0] ?? ".");
  for (const warning of config.warnings) console.warn(`warning: ${warning}`);
  // env.ORIGIN is the origin's URL, unless the config has its own; --var still wins.
  const { worker } = await hostedWorkerFrom(config, origin !== undefined && config.vars.ORIGIN === undefined ? { ORIGIN: origin, ...vars } : vars);

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
      onRequest: values.quiet ? undefined : (log) => printRequest(log),
    });
  } catch (error) {
    await substrate.close();
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") throw new VergeError("usage", `--port ${port}: ${hostname}:${port} is in use`, { cause: error });
    throw error;
  }
  server.setWorkers([worker]);
  const stopReporting = reportNatsStatus(view, servers);
  // The signal handlers go in before the URL is printed: whoever reads it may stop us at once.
  const stopped = untilSignal("verge pop", async () => {
    stopReporting();
    await server.close();
    await substrate.close();
  });
  console.log(`verge pop: ${config.name} (version ${worker.definition.version}) at ${server.url} (pop ${identity.name}, region ${identity.region}, nats ${servers.join(",")}, data ${dataDir})`);
  await stopped;
}
