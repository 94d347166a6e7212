/**
 * @module `verge kv get|put|delete|list --namespace <id>`: one KV namespace
 * read and written from the command line, at a PoP of `verge dev`
 * (`--dev-url`, the default), through the control API of `verge start`
 * (`--api`), or in a NATS cluster joined directly (`--nats`).
 */
import { VergeError } from "../../errors.js";
import { apiEndpoint, devEndpoint } from "../dev-area.js";
import { AreaKvTarget } from "../kv/area-target.js";
import { kvInvocation, type KvCommand } from "../kv/input.js";
import { DEFAULT_DEV_URL } from "../network-target.js";
import type { KvTarget } from "../kv/target.js";

export const kvHelp = `Usage: verge kv <subcommand> [arguments] --namespace <id> [target]

Reads and writes a KV namespace (the id in kv_namespaces of wrangler.toml).

Subcommands:
  get <key> [--metadata]     Print the value (raw bytes) to stdout; with
                             --metadata, print {"name", "expiration"?,
                             "metadata"?} as JSON instead. A missing key
                             exits with status 1
  put <key> [value]          Write a value (or the bytes of --path <file>)
      [--path <file>] [--expiration <seconds since the epoch>]
      [--expiration-ttl <seconds>] [--metadata <JSON>]
  delete <key>               Delete a key
  list [--prefix <p>] [--limit <n>] [--cursor <c>]
                             Print one page of keys as JSON, as env.KV.list()
                             answers it: {"keys": [{"name", "expiration"?,
                             "metadata"?}], "list_complete", "cursor"?}

Target (one of):
  --dev-url <url>       A PoP of "verge dev" (default ${DEFAULT_DEV_URL});
                        reads are that PoP's replica, writes replicate to
                        every PoP of the dev network
  --nats <url,…>        A NATS cluster of "verge pop" processes, joined
                        directly: writes go to the namespace's stream, reads
                        catch up with it first
  --api <url>           The control API of "verge start" (default: VERGE_API_URL
                        when no other target is given), with an admin token
                        (--token, default VERGE_API_TOKEN): reads are the
                        control plane's replica, writes replicate to every PoP

Limits are the binding's: keys 1 to 512 bytes, values 25 MiB, metadata 1024
bytes as JSON, expirations at least 60 s ahead. Bad input fails before
anything is written, with a message naming the value (exit status 2).`;

/** Runs `verge kv …`. */
export async function kv(argv: string[]): Promise<void> {
  const { namespace, target: spec, command } = await kvInvocation(argv);
  // The NATS client and SQLite are loaded only for --nats.
  const target: KvTarget =
    "nats" in spec ? (await import("../kv/nats-target.js")).NatsKvTarget.open(spec.nats, namespace) : new AreaKvTarget("api" in spec ? apiEndpoint(spec.api, spec.token) : devEndpoint(spec.devUrl), namespace);
  try {
    await run(target, namespace, command);
  } finally {
    await target.close();
    // The NATS client retries a first connection that never came forever, and closing cannot stop it:
    // a one-shot command that gave up on an unreachable cluster must still end.
    if ("nats" in spec) setTimeout(() => process.exit(), 1000).unref();
  }
}

async function run(target: KvTarget, namespace: string, command: KvCommand): Promise<void> {
  switch (command.op) {
    case "get": {
      const found = command.metadata ? await target.describe(command.key) : await target.get(command.key);
      if (found === null) throw new VergeError("not_found", `Key ${JSON.stringify(command.key)} not found in namespace "${namespace}"`);
      return print(found instanceof Uint8Array ? found : JSON.stringify(found) + "\n");
    }
    case "put":
      return target.put(command.key, command.value, command.options);
    case "delete":
      return target.delete(command.key);
    case "list":
      return print(JSON.stringify(await target.list({ prefix: command.prefix, limit: command.limit, cursor: command.cursor }), null, 2) + "\n");
  }
}

/** Writes to stdout and waits until it is handed over (a large value to a pipe). */
function print(data: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(data, (error) => (error ? reject(error) : resolve())));
}
