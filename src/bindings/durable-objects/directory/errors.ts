/** @module Typed errors of the Durable Objects directory, with stable codes. */
import { CodedError } from "../../../errors.js";

/** Codes of `DirectoryError`, with what each means. */
export const DirectoryErrorCodes = {
  invalid_object_id: "an object id is not 64 lowercase hex digits",
  invalid_namespace: "a namespace is empty, too long, or has characters outside A-Z a-z 0-9 - _ =",
  invalid_pop: "a PoP name is empty, too long, or has characters outside A-Z a-z 0-9 - _",
  invalid_region: "a preferred region is not a known region",
  invalid_lease: "a lease duration is not a positive whole number of milliseconds",
  invalid_option: "an option of the directory or of a lease keeper is out of range",
  not_owner: "renew, release or keep was given an ownership this directory does not hold",
  lease_lost: "another holder has the object, or the lease ran out before a renew succeeded",
  contended: "the entry kept changing under a claim; try again",
  corrupt_entry: "a directory entry could not be decoded",
  closed: "the directory was closed",
} as const;

/** A stable code of a directory failure. */
export type DirectoryErrorCode = keyof typeof DirectoryErrorCodes;

/**
 * The error the directory throws (substrate failures pass through as
 * `SubstrateError`; aborts reject with the signal's reason).
 *
 * @example if (error instanceof DirectoryError && error.code === "lease_lost") stopServing();
 */
export class DirectoryError extends CodedError<DirectoryErrorCode> {
  override readonly name = "DirectoryError";
}

/** A value quoted for an error message: strings in quotes, anything else as JSON or its type. */
export function quote(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return String(value);
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}
