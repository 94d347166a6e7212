/** @module Typed errors of the Durable Object journal, with stable codes. */
import { CodedError } from "../../../errors.js";

/** Codes of `JournalError`, with what each means. */
export const JournalErrorCodes = {
  invalid_option: "a key, epoch or snapshot threshold is out of range",
  frame_invalid: "a stream record or stored snapshot could not be decoded",
  append_failed: "an append to the stream failed; the local copy is ahead of the journal and must be rebuilt",
  fenced: "an owner with a higher epoch fenced the journal; this writer is stale",
  closed: "the journal was closed",
} as const;

/** A stable code of a journal failure. */
export type JournalErrorCode = keyof typeof JournalErrorCodes;

/**
 * The error of the journal (substrate failures are its `cause`, or pass
 * through as `SubstrateError` during a rebuild).
 *
 * @example if (error instanceof JournalError && error.code === "fenced") stopServing();
 */
export class JournalError extends CodedError<JournalErrorCode> {
  override readonly name = "JournalError";
}
