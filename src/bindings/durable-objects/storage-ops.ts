/**
 * @module Op `durable_object.storage`: `ctx.storage` calls from the isolate
 * on the host's `ObjectStorage` of an object this PoP owns. Values arrive
 * structured-cloned by the bridge and are stored as v8.serialize bytes (the
 * same algorithm), so what a worker gets back is what it put.
 */
import { deserialize, serialize } from "node:v8";
import { OpArgumentError, requireInvocation, type OpContext } from "../../runtime/ops.js";
import { callerObject } from "./caller-object.js";
import { StorageError, type StorageTransaction } from "./storage/index.js";
import type { ObjectHost } from "./host/object-host.js";
import type { OwnedObject } from "./host/owned-object.js";
import type { StorageVerb, WireSqlResult } from "./wire.js";

/** Transactions of `transaction(closure)` under way, by object then id: an object's go when it does. */
const transactions = new WeakMap<OwnedObject, Map<number, StorageTransaction>>();
let nextTransaction = 1;

const bytes = (value: unknown): Uint8Array => serialize(value);
const value = (stored: Uint8Array | null): unknown => (stored === null ? undefined : deserialize(stored));

function values(map: Map<string, Uint8Array>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, stored] of map) out.set(key, deserialize(stored));
  return out;
}

function entriesOf(arg: unknown): Map<string, Uint8Array> {
  if (typeof arg !== "object" || arg === null || Array.isArray(arg)) throw new OpArgumentError(`put() takes a key and a value, or an object of entries: received ${Array.isArray(arg) ? "an array" : typeof arg}`);
  const pairs = arg instanceof Map ? [...(arg as Map<unknown, unknown>)] : Object.entries(arg);
  return new Map(pairs.map(([key, v]) => [key as string, bytes(v)]));
}

/** The calls a storage and a transaction share. */
function call(target: Pick<StorageTransaction, "get" | "put" | "delete" | "list" | "getAlarm" | "setAlarm" | "deleteAlarm">, verb: string, args: unknown[]): unknown {
  switch (verb) {
    case "get":
      return value(target.get(args[0] as string));
    case "getMany":
      return values(target.get(args[0] as string[]));
    case "put":
      return void target.put(args[0] as string, bytes(args[1]));
    case "putMany":
      return void target.put(entriesOf(args[0]));
    case "delete":
      return target.delete(args[0] as string);
    case "deleteMany":
      return target.delete(args[0] as string[]);
    case "list":
      return values(target.list((args[0] ?? {})));
    case "getAlarm":
      return target.getAlarm();
    case "setAlarm":
      return void target.setAlarm(args[0] as number);
    case "deleteAlarm":
      return void target.deleteAlarm();
  }
  throw new OpArgumentError(`Unknown storage call "${verb}"`);
}

const WRITES = new Set<string>(["put", "putMany", "delete", "deleteMany", "setAlarm", "deleteAlarm", "deleteAll", "sql", "txCommit"]);

function run(owner: OwnedObject, verb: StorageVerb, args: unknown[]): unknown {
  const storage = owner.storage;
  switch (verb) {
    case "deleteAll":
      return void storage.deleteAll(args[0] as never);
    case "sql": {
      const cursor = storage.sql.exec(args[0] as string, ...((args[1] ?? []) as never[]));
      const rows = cursor.raw().toArray() as unknown[][];
      return { columnNames: cursor.columnNames, rows, rowsRead: cursor.rowsRead, rowsWritten: cursor.rowsWritten } satisfies WireSqlResult;
    }
    case "databaseSize":
      return storage.sql.databaseSize;
    case "txBegin": {
      const id = nextTransaction++;
      let open = transactions.get(owner);
      if (!open) transactions.set(owner, (open = new Map()));
      open.set(id, storage.transaction());
      return id;
    }
    case "txCall":
    case "txCommit":
    case "txRollback": {
      const id = args[0] as number;
      const txn = transactions.get(owner)?.get(id);
      if (!txn) throw new OpArgumentError(`Transaction ${String(id)} is not open`);
      if (verb === "txCall") return call(txn, args[1] as string, args[2] as unknown[]);
      transactions.get(owner)?.delete(id);
      if (verb === "txCommit") txn.commit();
      else txn.rollback();
      return undefined;
    }
    default:
      return call(storage, verb, args);
  }
}

/** The op: `(objectKey, verb, args)`; `sync` is asynchronous, every other call synchronous. */
export function storageOp(host: ObjectHost) {
  return (context: OpContext, [objectKey, verb, args]: unknown[]): unknown => {
    requireInvocation(context, "Durable Object storage");
    if (typeof verb !== "string" || !Array.isArray(args)) throw new OpArgumentError("Bad storage call");
    const owner = callerObject(host, context, objectKey, "Durable Object storage");
    if (verb === "sync") {
      const invocation = context.invocation!;
      owner.durable().then(
        () => invocation.settle(context.opId, true, null),
        (error: unknown) => invocation.rejectWith(context.opId, "Error", `storage.sync() failed: ${error instanceof Error ? error.message : String(error)}`),
      );
      return undefined;
    }
    try {
      const result = run(owner, verb as StorageVerb, args);
      if (verb === "setAlarm" || verb === "deleteAlarm" || verb === "deleteAll" || verb === "txCommit") owner.scheduleAlarm();
      return result;
    } catch (error) {
      throw storageFailure(verb, error, WRITES.has(verb));
    }
  };
}

/** The error tenant code sees: its class by cause, the message naming the call, the rule and the value. */
function storageFailure(verb: string, error: unknown, write: boolean): Error {
  if (!(error instanceof StorageError)) return error instanceof Error ? error : new Error(String(error));
  const call = verb.startsWith("tx") ? "transaction" : verb.replace(/Many$/, "");
  const message = `Durable Object storage ${call}() failed: ${error.message} (${error.code})${write ? "; nothing was written" : ""}`;
  if (!error.isUserError) return new Error(message);
  return error.code.endsWith("too_large") || error.code === "too_many_keys" ? new RangeError(message) : new TypeError(message);
}
