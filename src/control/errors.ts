/** @module Typed errors of the control plane, with stable codes. */
import { CodedError } from "../errors.js";

/** Codes of `ControlError`, with what each means. */
export const ControlErrorCodes = {
  invalid_worker_name: "a worker name is empty, too long, or has characters outside a-z A-Z 0-9 - _",
  invalid_version_id: "a version id is not 20 lowercase hex digits",
  bundle_too_large: "a bundle is over the 10 MB limit",
  version_not_found: "no version with that id was uploaded for the worker",
  corrupt_record: "a stored version or deployment could not be decoded, or a bundle does not match its hash",
  invalid_split: "a deployment's versions and percentages are not one or two distinct versions adding up to 100",
  contended: "a record kept changing under a compare-and-set; try again",
  bad_request: "a request to the control API is malformed: its JSON, a parameter or a name",
  invalid_upload: "an uploaded version does not compile, lacks a handler, or names an unknown binding or a bad cron",
  invalid_secret: "a secret's name or value is not acceptable",
  secrets_key: "the key that encrypts secrets is missing or malformed",
  unauthorized: "no API token, or one that is not valid",
  forbidden: "the token may not act on this worker or path",
  not_found: "no such path, worker, token or secret",
} as const;

export type ControlErrorCode = keyof typeof ControlErrorCodes;

/**
 * The error of the control plane's stores and API (substrate failures pass
 * through as `SubstrateError`).
 * @example if (error instanceof ControlError && error.code === "version_not_found") return notFound(error.message);
 */
export class ControlError extends CodedError<ControlErrorCode> {
  override readonly name = "ControlError";
}
