/**
 * @module `verge secret put|list|delete`: a worker's secrets, set through the
 * control API and given to the worker in `env`. A value is read from stdin,
 * never from the command line, so it stays out of shell history.
 */
import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { checkSecretName } from "../../control/secrets/secret-store.js";
import { VergeError } from "../../errors.js";
import { parse } from "../args.js";
import { clientFrom, controlOptions, controlOptionsHelp, workerFrom } from "./control-options.js";

export const secretHelp = `Usage: verge secret <subcommand> [options]

A worker's secrets: encrypted at rest, given to the worker in env, never shown
again (not by the API, not in logs or the tail).

Subcommands:
  put <NAME>            Set a secret; its value is read from stdin: piped
                        (kept byte for byte, so use printf '%s', not echo, if
                        it must not end in a newline) or typed when asked
                        (hidden; the line's newline is not part of it)
  list                  The secrets' names and when each was set
  delete <NAME>         Delete a secret

Options:
${controlOptionsHelp}`;

export async function secret(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, controlOptions);
  const [subcommand, name, ...extra] = positionals;
  const takesName = subcommand === "put" || subcommand === "delete";
  if (subcommand !== "list" && !takesName) throw new VergeError("usage", `verge secret needs a subcommand, put, list or delete: received ${JSON.stringify(subcommand ?? "")}`);
  if (takesName && name === undefined) throw new VergeError("usage", `verge secret ${subcommand} needs the secret's name`);
  if (takesName) checkedName(name);
  // Whatever follows may be a value typed by mistake: it is not repeated.
  if (extra.length > 0 || (subcommand === "list" && name !== undefined)) {
    throw new VergeError("usage", `verge secret ${subcommand} takes ${subcommand === "list" ? "no arguments" : "one name"}; a value is read from stdin, never from the command line`);
  }
  const client = clientFrom(values);
  const worker = await workerFrom(values);
  if (subcommand === "put") {
    const value = await readValue(name);
    await client.putSecret(worker, name, value);
    console.log(`verge secret: set ${name} of ${worker} (${Buffer.byteLength(value)} bytes)`);
  } else if (subcommand === "delete") {
    await client.deleteSecret(worker, name);
    console.log(`verge secret: deleted ${name} of ${worker}`);
  } else {
    const secrets = await client.secrets(worker);
    if (secrets.length === 0) console.log(`verge secret: ${worker} has no secrets`);
    for (const { name: each, updatedAt } of secrets) console.log(`${each.padEnd(24)}  set ${new Date(updatedAt).toISOString()}`);
  }
}

/** A name the API takes, or a usage error naming it. */
function checkedName(name: string): void {
  try {
    checkSecretName(name);
  } catch (error) {
    throw new VergeError("usage", (error as Error).message, { cause: error });
  }
}

/** The value: all of a piped stdin, or one line typed at the terminal. */
async function readValue(name: string): Promise<string> {
  const value = process.stdin.isTTY ? await promptHidden(`Value of ${name} (hidden): `) : await readAll(process.stdin);
  if (value === "") throw new VergeError("usage", `The value of ${name} is empty: pipe it in (printf '%s' "$VALUE" | verge secret put ${name}) or type it when asked`);
  return value;
}

async function readAll(input: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

/** One line typed at the terminal, not echoed. */
function promptHidden(question: string): Promise<string> {
  process.stderr.write(question);
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  const lines = createInterface({ input: process.stdin, output: muted, terminal: true });
  return new Promise((resolve, reject) => {
    let answered = false;
    const finish = (settle: () => void) => {
      if (answered) return;
      answered = true;
      process.stderr.write("\n");
      settle();
      lines.close();
    };
    lines.once("line", (line) => finish(() => resolve(line)));
    lines.once("SIGINT", () => finish(() => reject(new VergeError("usage", "Cancelled: no secret was set"))));
    lines.once("close", () => finish(() => resolve(""))); // Ctrl-D
  });
}
