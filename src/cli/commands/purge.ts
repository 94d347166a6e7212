/**
 * @module `verge purge --tag T | --url U | --prefix P | --everything`: purges
 * the HTTP cache at every PoP, through a `verge dev` PoP (`--dev-url`), the
 * control API of `verge start` (`--api`), or by joining a NATS cluster (`--nats`). Returns once the purge is in the purge
 * log, so a PoP that is cut off now replays it before it serves from cache.
 */
import { parsePurge, publishPurge, type Purge } from "../../cache/index.js";
import { VergeError } from "../../errors.js";
import { createNatsSubstrate } from "../../substrate/nats/index.js";
import { parse } from "../args.js";
import { apiEndpoint, callArea, devEndpoint, type AreaEndpoint } from "../dev-area.js";
import { commandViewName, networkTarget, TARGET_HELP, type NetworkTarget } from "../network-target.js";

export const purgeHelp = `Usage: verge purge (--tag <tag>… | --url <url>… | --prefix <prefix>… | --everything) [options]

Purges cached responses at every PoP: by Cache-Tag / cf.cacheTags, by URL, by
URL prefix (host and path, e.g. example.com/products/), or everything.
Repeat --tag, --url or --prefix to purge several at once (up to 100).

Options:
  --worker <name>       Only this worker's cache (default: every worker's)
${TARGET_HELP}
  -h, --help            Show this help`;

const options = {
  tag: { type: "string", multiple: true },
  url: { type: "string", multiple: true },
  prefix: { type: "string", multiple: true },
  everything: { type: "boolean" },
  worker: { type: "string" },
  "dev-url": { type: "string" },
  nats: { type: "string" },
  api: { type: "string" },
  token: { type: "string" },
} as const;

/** How long `--nats` waits for the cluster before it gives up. */
const TIMEOUT_MS = 15_000;

/** The purge the flags ask for, checked as a PoP checks it. */
export function purgeFromArgs(argv: string[]): { purge: Purge; target: NetworkTarget } {
  const { values, positionals } = parse(argv, options);
  if (positionals.length > 0) throw new VergeError("usage", `verge purge takes no arguments: received ${JSON.stringify(positionals[0])}`);
  const list = (name: string) => values[name] as unknown as string[] | undefined;
  const raw = { tags: list("tag"), urls: list("url"), prefixes: list("prefix"), everything: values.everything === true ? true : undefined, worker: values.worker };
  let purge: Purge;
  try {
    purge = parsePurge(raw);
  } catch (error) {
    // parsePurge names the JSON fields; the command's user knows the flags.
    const message = (error as Error).message.replace(/"tags"|\btags\b/g, "--tag").replace(/"urls"|\burls\b/g, "--url").replace(/"prefixes"|\bprefixes\b/g, "--prefix").replace(/"everything"|\beverything\b/g, "--everything").replace(/"worker"/g, "--worker");
    throw new VergeError("usage", message, { cause: error });
  }
  return { purge, target: networkTarget({ devUrl: values["dev-url"] as string | undefined, nats: values.nats as string | undefined, api: values.api as string | undefined, token: values.token as string | undefined }) };
}

const describePurge = (purge: Purge): string =>
  (purge.kind === "tag" ? `tags ${purge.tags.join(", ")}` : purge.kind === "url" ? `URLs ${purge.urls.join(", ")}` : purge.kind === "prefix" ? `prefixes ${purge.prefixes.join(", ")}` : "everything") +
  (purge.worker ? ` of worker ${purge.worker}` : "");

function purgeThroughArea(endpoint: AreaEndpoint, purge: Purge): Promise<unknown> {
  return callArea(endpoint, "POST", "purge", JSON.stringify(purge.kind === "everything" ? { everything: true, worker: purge.worker } : purge));
}

async function purgeThroughNats(servers: string[], purge: Purge): Promise<void> {
  const substrate = createNatsSubstrate({ servers });
  const signal = AbortSignal.timeout(TIMEOUT_MS);
  try {
    await publishPurge(substrate.forPop(commandViewName("purge"), { region: "virginia" }), purge, signal);
  } catch (error) {
    const why = signal.aborted ? `no answer within ${TIMEOUT_MS / 1000} s` : error instanceof Error ? error.message : String(error);
    throw new VergeError("unreachable", `Cannot reach NATS at ${servers.join(",")}: ${why}`, { cause: error });
  } finally {
    // The NATS client keeps dialling a server it never reached, even once closed: give it a second, not forever.
    setTimeout(() => process.exit(), 1000).unref();
    await substrate.close();
  }
}

export async function purge(argv: string[]): Promise<void> {
  const { purge: request, target } = purgeFromArgs(argv);
  const started = performance.now();
  if ("nats" in target) await purgeThroughNats(target.nats, request);
  else await purgeThroughArea("api" in target ? apiEndpoint(target.api, target.token) : devEndpoint(target.devUrl), request);
  console.log(`verge purge: purged ${describePurge(request)} at every PoP (logged in ${Math.round(performance.now() - started)} ms)`);
}
