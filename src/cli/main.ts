/**
 * @module The `verge` command: dispatches to a command, turns VergeErrors
 * into one clear line and a non-zero exit.
 */
import { VergeError } from "../errors.js";
import { dev, devHelp } from "./commands/dev.js";
import { kv, kvHelp } from "./commands/kv.js";
import { pop, popHelp } from "./commands/pop.js";
import { start, startHelp } from "./commands/start.js";
import { purge, purgeHelp } from "./commands/purge.js";

const commands: Record<string, { run: (argv: string[]) => Promise<void>; help: string; summary: string }> = {
  dev: { run: dev, help: devHelp, summary: "Run a worker on a local PoP with live reload" },
  kv: { run: kv, help: kvHelp, summary: "Read and write a KV namespace at a dev PoP or in a NATS cluster" },
  pop: { run: pop, help: popHelp, summary: "Run one PoP of a cluster, sharing data through NATS" },
  start: { run: start, help: startHelp, summary: "Run the platform here: the control plane and PoPs serving what is deployed" },
  purge: { run: purge, help: purgeHelp, summary: "Purge cached responses at every PoP by tag, URL, prefix or everything" },
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
