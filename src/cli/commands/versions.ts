/**
 * @module `verge versions [dir]`: a worker's last versions, newest first,
 * with the share of clients each deployed one serves.
 */
import { formatSize } from "../../bundler/index.js";
import { percentByVersion } from "../../control/client/index.js";
import { VergeError } from "../../errors.js";
import { parse } from "../args.js";
import { clientFrom, controlOptions, controlOptionsHelp, wholeNumber, workerFrom } from "./control-options.js";

export const versionsHelp = `Usage: verge versions [dir] [options]

Lists a worker's last versions, newest first: id, when it was uploaded, the
bundle's size, and the share of clients it serves if it is deployed. [dir] is
the worker's directory, for its name (default: the current directory).

Options:
  --limit <n>           How many versions (1 to 100, default 10)
${controlOptionsHelp}`;

const options = { ...controlOptions, limit: { type: "string" } } as const;

export async function versions(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, options);
  if (positionals.length > 1) throw new VergeError("usage", `verge versions takes one directory: received ${JSON.stringify(positionals[1])} as well`);
  const limit = wholeNumber("--limit", values.limit, 1, 100) ?? 10;
  const client = clientFrom(values);
  const worker = await workerFrom(values, positionals[0]);
  const [list, deployment] = await Promise.all([client.versions(worker), client.deployment(worker)]);
  if (list.length === 0) {
    console.log(`verge versions: ${worker} has no versions yet; "verge deploy" uploads one`);
    return;
  }
  const percents = percentByVersion(deployment);
  const rows = list.slice(0, limit).map((version) => [
    version.id,
    new Date(version.createdAt).toISOString().replace(/\.\d+Z$/, "Z"),
    formatSize(version.bytes, { round: false }),
    percents.has(version.id) ? `deployed at ${percents.get(version.id)}%` : "",
  ]);
  const widths = [20, 20, 10];
  console.log(["VERSION", "CREATED", "SIZE", "SERVES"].map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ").trimEnd());
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ").trimEnd());
  if (list.length > limit) console.log(`… and ${list.length - limit} older (--limit ${Math.min(list.length, 100)} lists them)`);
}
