/**
 * @module `verge rollback [version]`: deploys a worker's previous version (or
 * the one named) to every client at once, ending any split.
 */
import { checkVersionId } from "../../control/store/names.js";
import { VergeError } from "../../errors.js";
import { parse } from "../args.js";
import { clientFrom, controlOptions, controlOptionsHelp, printServing, workerFrom } from "./control-options.js";

export const rollbackHelp = `Usage: verge rollback [version] [options]

Deploys [version] (an id from "verge versions"; default: the version deployed
before the current one) to every client at once, ending any split.

Options:
${controlOptionsHelp}`;

export async function rollback(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, controlOptions);
  if (positionals.length > 1) throw new VergeError("usage", `verge rollback takes one version: received ${JSON.stringify(positionals[1])} as well`);
  const version = positionals[0];
  if (version !== undefined) {
    try {
      checkVersionId(version);
    } catch (error) {
      throw new VergeError("usage", `[version]: ${(error as Error).message}`, { cause: error });
    }
  }
  const client = clientFrom(values);
  const worker = await workerFrom(values);
  printServing("verge rollback", await client.rollback(worker, version));
}
