/**
 * @module The `verge` command: dispatches to a command, turns VergeErrors
 * into one clear line and a non-zero exit.
 */
import { VergeError } from "../errors.js";
import { deploy, deployHelp } from "./commands/deploy.js";
import { dev, devHelp } from "./commands/dev.js";
import { kv, kvHelp } from "./commands/kv.js";
import { pop, popHelp } from "./commands/pop.js";
import { start, startHelp } from "./commands/start.js";
import { promote, promoteHelp } from "./commands/promote.js";
import { purge, purgeHelp } from "./commands/purge.js";
import { rollback, rollbackHelp } from "./commands/rollback.js";
import { secret, secretHelp } from "./commands/secret.js";
import { tail, tailHelp } from "./commands/tail.js";
import { versions, versionsHelp } from "./commands/versions.js";

const commands: Record<string, { run: (argv: string[]) => Promise<void>; help: string; summary: string }> = {
  deploy: { run: deploy, help: deployHelp, summary: "Upload a worker as a version and deploy it, at once or to a share of clients" },
  dev: { run: dev, help: devHelp, summary: "Run a worker on a local PoP with live reload" },
  kv: { run: kv, help: kvHelp, summary: "Read and write a KV namespace at a dev PoP or in a NATS cluster" },
  pop: { run: pop, help: popHelp, summary: "Run one PoP of a cluster, sharing data through NATS" },
  start: { run: start, help: startHelp, summary: "Run the platform here: the control plane and PoPs serving what is deployed" },
  promote: { run: promote, help: promoteHelp, summary: "End a split: its new version serves every client" },
  purge: { run: purge, help: purgeHelp, summary: "Purge cached responses at every PoP by tag, URL, prefix or everything" },
  rollback: { run: rollback, help: rollbackHelp, summary: "Deploy the previous version (or one named) to every client at once" },
  secret: { run: secret, help: secretHelp, summary: "Set, list and delete a worker's secrets" },
  tail: { run: tail, help: tailHelp, summary: "Print a worker's requests at every PoP as they happen" },
  versions: { run: versions, help: versionsHelp, summary: "List a worker's versions and what each serves" },
};

const usage = `Usage: verge <command> [options]

Commands:
${Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)}${c.summary}`).join("\n")}

Run "verge <command> --help" for a command's options.`;

export async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    console.log(usage);
    return;
  }
  const command = commands[name];
  if (!command) {
    console.error(`verge: unknown command: "${name}"\n\n${usage}`);
    process.exitCode = 2;
    return;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(command.help);
    return;
  }
  try {
    await command.run(rest);
  } catch (error) {
    if (error instanceof VergeError) {
      console.error(`verge ${name}: ${error.message}`);
      process.exitCode = error.code === "usage" ? 2 : 1;
      return;
    }
    throw error;
  }
}
