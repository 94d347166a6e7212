/**
 * @module `verge kv` arguments: the subcommand, its key and options, the
 * namespace and the target, all checked before anything is reached, with
 * the KV binding's own checks (src/bindings/kv/validate.ts), so a bad key,
 * value, metadata or expiration fails as it would in a worker.
 */
import { readFile } from "node:fs/promises";
import { NAMESPACE_ID_RULE, isNamespaceId } from "../../bindings/kv/config.js";
import { limitFromText } from "../../bindings/kv/listing.js";
import { checkExpiration, checkKey, checkListOptions, checkMetadataText, checkValue } from "../../bindings/kv/validate.js";
import { VergeError } from "../../errors.js";
import { parse, type Options } from "../args.js";
import { networkTarget, type NetworkTarget } from "../network-target.js";
import type { KvPutOptions } from "./target.js";

/** One subcommand, its input checked. */
export type KvCommand =
  | { op: "get"; key: string; metadata: boolean }
  | { op: "put"; key: string; value: Uint8Array; options: KvPutOptions }
  | { op: "delete"; key: string }
  | { op: "list"; prefix?: string; limit?: number; cursor?: string };

export interface KvInvocation {
  namespace: string;
  target: NetworkTarget;
  command: KvCommand;
}

const COMMON = { namespace: { type: "string" }, "dev-url": { type: "string" }, nats: { type: "string" }, api: { type: "string" }, token: { type: "string" } } as const;

/** Each subcommand's options, on top of the common ones, and its positionals. */
const SUBCOMMANDS: Record<KvCommand["op"], { options: Options; positionals: string[] }> = {
  get: { options: { metadata: { type: "boolean" } }, positionals: ["key"] },
  put: { options: { path: { type: "string" }, expiration: { type: "string" }, "expiration-ttl": { type: "string" }, metadata: { type: "string" } }, positionals: ["key", "value"] },
  delete: { options: {}, positionals: ["key"] },
  list: { options: { prefix: { type: "string" }, limit: { type: "string" }, cursor: { type: "string" } }, positionals: [] },
};

/**
 * Parses and checks `verge kv <subcommand> …`.
 *
 * @throws VergeError `usage` naming the bad argument and its value.
 * @example await kvInvocation(["get", "beta", "--namespace", "flags"]) // { namespace: "flags", target: { devUrl: "http://127.0.0.1:8787" }, command: { op: "get", key: "beta", metadata: false } }
 */
export async function kvInvocation(argv: string[]): Promise<KvInvocation> {
  const [op = "", ...rest] = argv;
  const spec = Object.hasOwn(SUBCOMMANDS, op) ? SUBCOMMANDS[op as KvCommand["op"]] : undefined;
  if (op === "" || op.startsWith("-")) throw new VergeError("usage", `A subcommand comes first: get, put, delete or list: received ${JSON.stringify(op)}`);
  if (!spec) throw new VergeError("usage", `Unknown subcommand: received ${JSON.stringify(op)} (expected get, put, delete or list)`);
  const { values, positionals } = parse(rest, { ...COMMON, ...spec.options });
  if (positionals.length > spec.positionals.length) throw new VergeError("usage", `${op} takes ${spec.positionals.map((p) => `<${p}>`).join(" ") || "no arguments"}: received an extra ${JSON.stringify(positionals[spec.positionals.length])}`);
  const namespace = values.namespace;
  if (namespace === undefined) throw new VergeError("usage", `--namespace is required: the namespace id (kv_namespaces[].id in wrangler.toml)`);
  if (!isNamespaceId(namespace)) throw new VergeError("usage", `--namespace ${NAMESPACE_ID_RULE}: received ${JSON.stringify(namespace)}`);
  const target = networkTarget({ devUrl: values["dev-url"] as string | undefined, nats: values.nats as string | undefined, api: values.api as string | undefined, token: values.token as string | undefined });
  return { namespace, target, command: await commandOf(op as KvCommand["op"], values, positionals) };
}

async function commandOf(op: KvCommand["op"], values: Record<string, string | boolean | undefined>, positionals: string[]): Promise<KvCommand> {
  if (op === "list") {
    const limit = limitFromText(values.limit as string | undefined);
    checked(() => checkListOptions(values.prefix, limit, values.cursor));
    return { op, prefix: values.prefix as string | undefined, limit: limit as number | undefined, cursor: values.cursor as string | undefined };
  }
  const given = positionals[0];
  if (given === undefined) throw new VergeError("usage", `${op} needs a key: verge kv ${op} <key> --namespace <id>`);
  const key = checked(() => checkKey(given, op));
  if (op === "get") return { op, key, metadata: values.metadata === true };
  if (op === "delete") return { op, key };
  const options: KvPutOptions = {
    expiration: values.expiration as string | undefined,
    expirationTtl: values["expiration-ttl"] as string | undefined,
    metadata: checked(() => checkMetadataText(values.metadata as string | undefined)),
  };
  checked(() => checkExpiration(options.expiration, options.expirationTtl));
  return { op, key, value: await valueOf(positionals[1], values.path as string | undefined), options };
}

/** The value of a put: the argument, or the bytes of `--path`. */
async function valueOf(text: string | undefined, path: string | undefined): Promise<Uint8Array> {
  if ((text === undefined) === (path === undefined)) throw new VergeError("usage", `put needs one value, a [value] argument or --path <file>: received ${text === undefined ? "neither" : "both"}`);
  if (text !== undefined) return checked(() => checkValue(new TextEncoder().encode(text)));
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path!);
  } catch (error) {
    throw new VergeError("usage", `--path cannot be read: received ${JSON.stringify(path)} (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  }
  return checked(() => checkValue(bytes));
}

/** Runs one of the binding's checks, its TypeError or RangeError becoming a usage error with the same message. */
function checked<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError) throw new VergeError("usage", error.message, { cause: error });
    throw error;
  }
}
