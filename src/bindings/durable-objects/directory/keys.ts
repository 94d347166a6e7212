/**
 * @module What names an object in the directory bucket, and the checks of
 * every input the directory takes (each throws a `DirectoryError` naming the
 * value). Keys are `do.<namespace>.<id>`: within the substrate's key rules,
 * and a namespace's keys share the prefix `do.<namespace>.`, which NATS can
 * filter at the server.
 */
import { isRegionName } from "../../../regions/index.js";
import { DirectoryError, quote } from "./errors.js";

/** Limits of the directory's inputs, written once so that messages quote them. */
export const DirectoryLimits = {
  OBJECT_ID_HEX_DIGITS: 64,
  MAX_NAMESPACE_CHARS: 128,
  MAX_POP_CHARS: 64,
  /** Longest lease: a day. A longer one would keep a dead owner's objects unreachable for longer still. */
  MAX_LEASE_MS: 24 * 60 * 60 * 1000,
} as const;

/** An object as the directory names it: its namespace (the class's id) and its id. */
export interface ObjectKey {
  /** 1 to 128 characters of `A-Z a-z 0-9 - _ =`, e.g. `chat-ChatRoom`. */
  namespace: string;
  /** 64 lowercase hex digits, as `DurableObjectId.toString()` gives. */
  id: string;
}

/** The prefix of every object's key in the bucket. */
export const OBJECT_PREFIX = "do.";

const ID = /^[0-9a-f]{64}$/;
const NAMESPACE = /^[-_=A-Za-z0-9]+$/;
const POP = /^[-_A-Za-z0-9]+$/;

/** Checks an object id. */
export function checkObjectId(id: unknown): string {
  if (typeof id === "string" && ID.test(id)) return id;
  throw new DirectoryError("invalid_object_id", `Invalid object id: received ${quote(id)}; expected ${DirectoryLimits.OBJECT_ID_HEX_DIGITS} lowercase hex digits`);
}

/** Checks a namespace. */
export function checkNamespace(namespace: unknown): string {
  if (typeof namespace === "string" && NAMESPACE.test(namespace) && namespace.length <= DirectoryLimits.MAX_NAMESPACE_CHARS) return namespace;
  throw new DirectoryError("invalid_namespace", `Invalid namespace: received ${quote(namespace)}; expected 1 to ${DirectoryLimits.MAX_NAMESPACE_CHARS} characters of A-Z a-z 0-9 - _ =`);
}

/** Checks a PoP name (the substrate's rule for PoP names). */
export function checkPop(pop: unknown): string {
  if (typeof pop === "string" && POP.test(pop) && pop.length <= DirectoryLimits.MAX_POP_CHARS) return pop;
  throw new DirectoryError("invalid_pop", `Invalid PoP name: received ${quote(pop)}; expected 1 to ${DirectoryLimits.MAX_POP_CHARS} characters of A-Z a-z 0-9 - _`);
}

/** Checks a lease duration. */
export function checkLeaseMs(leaseMs: unknown): number {
  if (typeof leaseMs === "number" && Number.isInteger(leaseMs) && leaseMs > 0 && leaseMs <= DirectoryLimits.MAX_LEASE_MS) return leaseMs;
  throw new DirectoryError("invalid_lease", `Lease must be a whole number of milliseconds > 0 and <= ${DirectoryLimits.MAX_LEASE_MS}: received ${quote(leaseMs)}`);
}

/** Checks an optional preferred region (a name from src/regions). */
export function checkRegion(region: unknown): string | null {
  if (region === undefined || region === null) return null;
  if (typeof region === "string" && isRegionName(region)) return region;
  throw new DirectoryError("invalid_region", `Unknown preferred region: received ${quote(region)}`);
}

/** Checks a numeric option: a finite number within [min, max]. */
export function checkOption(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value === "number" && Number.isFinite(value) && value >= min && value <= max) return value;
  throw new DirectoryError("invalid_option", `${name} must be a number >= ${min}${max < Number.MAX_SAFE_INTEGER ? ` and <= ${max}` : ""}: received ${quote(value)}`);
}

/**
 * The bucket key of an object, after checking both parts.
 *
 * @example bucketKey({ namespace: "chat-ChatRoom", id: "ab".repeat(32) }) // "do.chat-ChatRoom.abab…"
 */
export function bucketKey(key: ObjectKey): string {
  if (typeof key !== "object" || key === null) throw new DirectoryError("invalid_object_id", `Invalid object key: received ${quote(key)}; expected { namespace, id }`);
  return `${OBJECT_PREFIX}${checkNamespace(key.namespace)}.${checkObjectId(key.id)}`;
}

/** The object a bucket key names, or null when it is not an object's key. */
export function objectOf(key: string): ObjectKey | null {
  if (!key.startsWith(OBJECT_PREFIX)) return null;
  const rest = key.slice(OBJECT_PREFIX.length);
  const dot = rest.lastIndexOf(".");
  const namespace = rest.slice(0, dot);
  const id = rest.slice(dot + 1);
  return dot > 0 && NAMESPACE.test(namespace) && ID.test(id) ? { namespace, id } : null;
}
