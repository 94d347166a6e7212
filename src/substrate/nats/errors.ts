/** @module Maps the NATS client's errors onto the substrate's typed errors and results. */
import { ClosedConnectionError, DrainingConnectionError, NoRespondersError, RequestError, TimeoutError } from "@nats-io/transport-node";
import { JetStreamApiCodes, JetStreamApiError } from "@nats-io/jetstream";
import { SubstrateError } from "../errors.js";

/** Header carrying the publishing or requesting PoP. */
export const FROM_HEADER = "Verge-From";
/** Header carrying a handler's error message (the NATS services convention). */
export const SERVICE_ERROR_HEADER = "Nats-Service-Error";
/** Header carrying a handler's error code (the NATS services convention). */
export const SERVICE_ERROR_CODE_HEADER = "Nats-Service-Error-Code";

/** True for JetStream's "wrong last sequence" answer to an expected-revision write: a compare-and-set conflict. */
export function isWrongLastSequence(error: unknown): boolean {
  return (
    error instanceof JetStreamApiError &&
    (error.code === JetStreamApiCodes.StreamWrongLastSequence || error.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown)
  );
}

/** True when the connection underneath was closed. */
export function isConnectionClosed(error: unknown): boolean {
  return error instanceof ClosedConnectionError || error instanceof DrainingConnectionError;
}

/** A `closed` SubstrateError for PoP `pop`. */
export function closedError(pop: string, cause?: unknown): SubstrateError {
  return new SubstrateError("closed", `Substrate view of PoP "${pop}" is closed`, cause === undefined ? undefined : { cause });
}

/** Maps a failed request onto `no_responders` / `request_timeout` / `closed`; anything else is returned as is. */
export function mapRequestError(error: unknown, pop: string, subject: string, timeoutMs: number): unknown {
  const cause = error instanceof RequestError ? error.cause : undefined;
  if ((error instanceof RequestError && error.isNoResponders()) || error instanceof NoRespondersError || cause instanceof NoRespondersError) {
    return new SubstrateError("no_responders", `Nothing serves subject "${subject}"`, { cause: error });
  }
  if (error instanceof TimeoutError || cause instanceof TimeoutError) {
    return new SubstrateError("request_timeout", `No reply on subject "${subject}" within ${timeoutMs} ms`, { cause: error });
  }
  if (isConnectionClosed(error) || isConnectionClosed(cause)) return closedError(pop, error);
  return error;
}

/** Maps any other failure: a closed connection becomes `closed`; the rest is returned as is. */
export function mapError(error: unknown, pop: string): unknown {
  if (error instanceof SubstrateError) return error;
  if (isConnectionClosed(error) || (error instanceof Error && isConnectionClosed(error.cause))) return closedError(pop, error);
  return error;
}
