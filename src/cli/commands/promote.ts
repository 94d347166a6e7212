/**
 * @module `verge promote`: the new version of a worker's split serves every
 * client, and the split ends.
 */
import { VergeError } from "../../errors.js";
import { parse } from "../args.js";
import { clientFrom, controlOptions, controlOptionsHelp, printServing, workerFrom } from "./control-options.js";

export const promoteHelp = `Usage: verge promote [options]

Ends a split started by "verge deploy --percent": the new version serves every
client.

Options:
${controlOptionsHelp}`;

export async function promote(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, controlOptions);
  if (positionals.length > 0) throw new VergeError("usage", `verge promote takes no arguments: received ${JSON.stringify(positionals[0])}`);
  const client = clientFrom(values);
  printServing("verge promote", await client.promote(await workerFrom(values)));
}
