/**
 * @module Durable Object ids as Workers has them: 64 lowercase hex digits,
 * made by `idFromName` (deterministic), `newUniqueId` (random) or read back by
 * `idFromString`. Host-side code.
 *
 * The 32 bytes of an id:
 * | bytes | holds |
 * | --- | --- |
 * | 0 | format and kind: 0x11 made by name, 0x12 unique |
 * | 1 | jurisdiction: 0 none, then the index in `Jurisdictions` + 1 |
 * | 2–5 | namespace tag: the start of SHA-256 of the namespace id |
 * | 6–19 | body: HMAC-SHA-256 of the name keyed by the namespace id, or random |
 * | 20–31 | MAC: HMAC-SHA-256 of bytes 0–19 keyed by the namespace id |
 *
 * The tag tells an id of another namespace from a damaged or made-up one; the
 * MAC refuses strings that were not made here for this namespace. It is not a
 * secret: as in Workers, an id made by name is guessable from the name, and a
 * unique id is a capability only because its 112 random bits are.
 *
 * For the isolate shim: Workers' `idFromName` and `idFromString` are
 * synchronous, so the shim cannot use `crypto.subtle` (asynchronous); it needs
 * a synchronous host op (or SHA-256 in plain JavaScript in the prelude). The
 * shim's id object keeps the hex and `name`, and host ops must check every id
 * they receive with `idFromString` against the binding's own namespace.
 */
import { createHash, createHmac, randomBytes } from "node:crypto";
import { CodedError } from "../../errors.js";
import { formatValue } from "../../config/format.js";
import { NamespaceIdLimits } from "./config.js";

/** Codes of `ObjectIdError`, with what each means. */
export const ObjectIdErrorCodes = {
  invalid_namespace: "a namespace id breaks the rule of NamespaceIdLimits",
  invalid_name: "a name given to idFromName is not a string",
  invalid_jurisdiction: "a jurisdiction is not one of Jurisdictions",
  invalid_object_id: "a string is not 64 lowercase hex digits of a known id format",
  foreign_object_id: "an id was made for another namespace",
  forged_object_id: "an id's MAC does not verify: it was altered or made up",
} as const;

/** A stable code of an id failure. */
export type ObjectIdErrorCode = keyof typeof ObjectIdErrorCodes;

/**
 * The error of id creation and parsing; the message names the value.
 *
 * @example if (error instanceof ObjectIdError && error.code === "foreign_object_id") return badRequest(error.message);
 */
export class ObjectIdError extends CodedError<ObjectIdErrorCode> {
  override readonly name = "ObjectIdError";
}

/** Jurisdictions `newUniqueId` accepts, as in Workers. */
export const Jurisdictions = ["eu", "fedramp", "fedramp-high"] as const;
export type Jurisdiction = (typeof Jurisdictions)[number];

const Layout = { BYTES: 32, KIND: 0, JURISDICTION: 1, TAG: 2, BODY: 6, MAC: 20 } as const;
const Kind = { NAMED: 0x11, UNIQUE: 0x12 } as const;
const HEX = /^[0-9a-f]{64}$/;

/** One Durable Object's id within its namespace. */
export class DurableObjectId {
  /** @internal Use idFromName, newUniqueId or idFromString. */
  constructor(
    /** The namespace the id belongs to. */
    readonly namespaceId: string,
    private readonly hex: string,
    /** The name it was made from by idFromName; undefined otherwise, as in Workers. */
    readonly name?: string,
  ) {}

  /** The jurisdiction a unique id was made for, if any. */
  get jurisdiction(): Jurisdiction | undefined {
    return Jurisdictions[parseInt(this.hex.slice(2, 4), 16) - 1];
  }

  /** The 64 lowercase hex digits. */
  toString(): string {
    return this.hex;
  }

  /** True for the same object. */
  equals(other: DurableObjectId): boolean {
    return other instanceof DurableObjectId && other.hex === this.hex;
  }
}

function checkNamespaceId(namespaceId: unknown): string {
  if (typeof namespaceId === "string" && NamespaceIdLimits.PATTERN.test(namespaceId) && namespaceId.length <= NamespaceIdLimits.MAX_CHARS) return namespaceId;
  throw new ObjectIdError("invalid_namespace", `Namespace id must be 1 to ${NamespaceIdLimits.MAX_CHARS} characters of A-Z a-z 0-9 - _ =: received ${formatValue(namespaceId)}`);
}

function hmac(namespaceId: string, domain: string, data: Uint8Array | string): Buffer {
  return createHmac("sha256", namespaceId).update(`verge-do-${domain}\0`).update(data).digest();
}

/** Fills in the tag and the MAC of an id whose kind, jurisdiction and body are set. */
function seal(namespaceId: string, bytes: Buffer): string {
  createHash("sha256").update(namespaceId).digest().copy(bytes, Layout.TAG, 0, Layout.BODY - Layout.TAG);
  hmac(namespaceId, "mac", bytes.subarray(0, Layout.MAC)).copy(bytes, Layout.MAC, 0, Layout.BYTES - Layout.MAC);
  return bytes.toString("hex");
}

/**
 * The id of the object called `name`: the same for the same name and
 * namespace, different in another namespace.
 *
 * @example idFromName("chat-ChatRoom", "lobby").toString(); // 64 hex digits, always the same
 */
export function idFromName(namespaceId: string, name: string): DurableObjectId {
  checkNamespaceId(namespaceId);
  if (typeof name !== "string") throw new ObjectIdError("invalid_name", `Durable Object name must be a string: received ${formatValue(name)}`);
  const bytes = Buffer.alloc(Layout.BYTES);
  bytes[Layout.KIND] = Kind.NAMED;
  hmac(namespaceId, "name", name).copy(bytes, Layout.BODY, 0, Layout.MAC - Layout.BODY);
  return new DurableObjectId(namespaceId, seal(namespaceId, bytes), name);
}

/**
 * A new random id of the namespace, optionally restricted to a jurisdiction.
 *
 * @example newUniqueId("chat-ChatRoom", { jurisdiction: "eu" }).jurisdiction; // "eu"
 */
export function newUniqueId(namespaceId: string, options: { jurisdiction?: Jurisdiction } = {}): DurableObjectId {
  checkNamespaceId(namespaceId);
  const { jurisdiction } = options;
  const index = jurisdiction === undefined ? 0 : Jurisdictions.indexOf(jurisdiction) + 1;
  if (index === 0 && jurisdiction !== undefined) {
    throw new ObjectIdError("invalid_jurisdiction", `Jurisdiction must be one of ${Jurisdictions.map((j) => `"${j}"`).join(", ")}: received ${formatValue(jurisdiction)}`);
  }
  const bytes = Buffer.alloc(Layout.BYTES);
  bytes[Layout.KIND] = Kind.UNIQUE;
  bytes[Layout.JURISDICTION] = index;
  randomBytes(Layout.MAC - Layout.BODY).copy(bytes, Layout.BODY);
  return new DurableObjectId(namespaceId, seal(namespaceId, bytes));
}

/**
 * The id `hex` names, after checking it is an id of this namespace.
 *
 * @example idFromString(ns, newUniqueId(ns).toString());
 */
export function idFromString(namespaceId: string, hex: string): DurableObjectId {
  checkNamespaceId(namespaceId);
  const refuse = (code: ObjectIdErrorCode, why: string): never => {
    throw new ObjectIdError(code, `Invalid Durable Object id: received ${formatValue(hex)}; ${why}`);
  };
  if (typeof hex !== "string" || !HEX.test(hex)) return refuse("invalid_object_id", `expected ${Layout.BYTES * 2} lowercase hex digits`);
  const bytes = Buffer.from(hex, "hex");
  const kind = bytes[Layout.KIND];
  const jurisdiction = bytes[Layout.JURISDICTION] ?? 0;
  if ((kind !== Kind.NAMED && kind !== Kind.UNIQUE) || jurisdiction > Jurisdictions.length || (kind === Kind.NAMED && jurisdiction !== 0)) {
    return refuse("invalid_object_id", "it is not an id made by idFromName or newUniqueId");
  }
  const expected = Buffer.from(bytes);
  if (seal(namespaceId, expected).slice(Layout.TAG * 2, Layout.BODY * 2) !== hex.slice(Layout.TAG * 2, Layout.BODY * 2)) {
    return refuse("foreign_object_id", `it belongs to another namespace than "${namespaceId}"`);
  }
  if (expected.toString("hex") !== hex) return refuse("forged_object_id", `it does not verify for namespace "${namespaceId}"`);
  return new DurableObjectId(namespaceId, hex);
}
