/** @module Typed errors of the substrate, with stable codes shared by every backend. */
import { CodedError } from "../errors.js";

/** Codes of `SubstrateError`, with what each means. */
export const SubstrateErrorCodes = {
  request_timeout: "no reply came within the request's timeout",
  no_responders: "nothing serves the request's subject",
  handler_error: "the serving PoP's handler threw",
  closed: "the substrate, view or handle was closed",
  invalid_name: "a bucket, stream, key or subject name is malformed",
} as const;

/** A stable code of a substrate failure. */
export type SubstrateErrorCode = keyof typeof SubstrateErrorCodes;

/**
 * The error every backend throws for substrate failures (aborts reject with
 * the signal's reason instead).
 *
 * @example if (error instanceof SubstrateError && error.code === "request_timeout") retry();
 */
export class SubstrateError extends CodedError<SubstrateErrorCode> {
  override readonly name = "SubstrateError";
}
