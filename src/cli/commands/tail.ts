/**
 * @module `verge tail`: a worker's requests at every PoP as they happen, one
 * line each (or their JSON records), until Ctrl-C.
 */
import type { RequestLog, TailFilters } from "../../control/client/index.js";
import { VergeError } from "../../errors.js";
import { parse } from "../args.js";
import { clientFrom, controlOptions, controlOptionsHelp, workerFrom } from "./control-options.js";

export const tailHelp = `Usage: verge tail [options]

Prints a worker's requests at every PoP as they happen, until Ctrl-C: the time,
PoP, status, method, path, wall and CPU time and version, then the worker's
console output, indented. Secrets in it are shown as [secret <NAME>].

Options:
  --status <list>       Only these statuses: 200, 5xx, 4xx,5xx, or error (any
                        outcome but ok)
  --method <list>       Only these methods, e.g. GET,POST
  --path <prefix>       Only paths starting with this, e.g. /api
  --search <text>       Only requests with this text in the path or the console output
  --sample <share>      Only this share of the matching requests, above 0 and at most 1
  --format <format>     pretty (the default) or json: one RequestLog JSON object a line
${controlOptionsHelp}`;

const options = {
  ...controlOptions,
  status: { type: "string" },
  method: { type: "string" },
  path: { type: "string" },
  search: { type: "string" },
  sample: { type: "string" },
  format: { type: "string" },
} as const;

type Values = Record<string, string | boolean | undefined>;

/** The filters the flags ask for, checked. */
export function tailFiltersFrom(values: Values): TailFilters {
  const status = listOf(values.status, "--status", /^([1-5]\d\d|[1-5]xx|error)$/i, "a status (200), a class (5xx) or error");
  const method = listOf(values.method, "--method", /^[A-Za-z]+$/, "a method such as GET")?.toUpperCase();
  const path = values.path === undefined ? undefined : String(values.path);
  if (path !== undefined && !path.startsWith("/")) throw new VergeError("usage", `--path must be a path prefix starting with /: received ${JSON.stringify(path)}`);
  const search = values.search === undefined ? undefined : String(values.search);
  if (search === "") throw new VergeError("usage", `--search must not be empty: received ""`);
  const sample = values.sample === undefined ? undefined : Number(values.sample);
  if (sample !== undefined && (String(values.sample).trim() === "" || !(sample > 0 && sample <= 1))) {
    throw new VergeError("usage", `--sample must be a share above 0 and at most 1, such as 0.1: received ${JSON.stringify(values.sample)}`);
  }
  return { status: status?.toLowerCase(), method, path, search, sample };
}

function listOf(value: string | boolean | undefined, flag: string, item: RegExp, expected: string): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  const bad = text.split(",").find((each) => !item.test(each.trim()));
  if (bad !== undefined) throw new VergeError("usage", `${flag} must be a comma-separated list of ${expected}: received ${JSON.stringify(text)}`);
  return text.split(",").map((each) => each.trim()).join(",");
}

/** A request as `verge tail` prints it, with its console lines indented below. */
export function tailLine(log: RequestLog): string {
  const outcome = log.outcome === "ok" ? "" : ` ${log.outcome}`;
  const version = log.version ? ` ${log.version.slice(0, 8)}` : "";
  const head = `${new Date(log.at).toISOString()} ${log.pop} ${log.status} ${log.method} ${log.path} ${log.wallMs.toFixed(1)}ms (cpu ${log.cpuMs.toFixed(1)}ms)${version}${outcome}`;
  const lines = log.logs.map((line) => `  ${line.level === "log" ? "" : `[${line.level}] `}${line.message.replace(/\n/g, "\n  ")}`);
  return [head, ...lines].join("\n");
}

export async function tail(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, options);
  if (positionals.length > 0) throw new VergeError("usage", `verge tail takes no arguments: received ${JSON.stringify(positionals[0])}`);
  const filters = tailFiltersFrom(values);
  const format = values.format ?? "pretty";
  if (format !== "pretty" && format !== "json") throw new VergeError("usage", `--format must be pretty or json: received ${JSON.stringify(format)}`);
  const client = clientFrom(values);
  const worker = await workerFrom(values);
  const stop = new AbortController();
  const abort = () => stop.abort();
  process.once("SIGINT", abort);
  process.once("SIGTERM", abort);
  try {
    const onOpen = () => console.error(`verge tail: tailing ${worker} at ${client.connection.base} (Ctrl-C to stop)`);
    for await (const log of client.tail(worker, { filters, signal: stop.signal, onOpen })) {
      process.stdout.write(`${format === "json" ? JSON.stringify(log) : tailLine(log)}\n`);
    }
  } finally {
    process.off("SIGINT", abort);
    process.off("SIGTERM", abort);
  }
  if (!stop.signal.aborted) throw new VergeError("unreachable", `The control API at ${client.connection.base} ended the tail of ${worker}`);
}
