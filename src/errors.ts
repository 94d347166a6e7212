/**
 * @module Typed errors with stable codes. Platform errors reach clients as
 * `{"error": {"code", "message"}}` with the status below; everything else is
 * a plain 500.
 */

/** Codes a client can see in a platform error response, with their status. */
export const PlatformErrorStatus = {
  worker_exceeded_cpu: 503,
  worker_exceeded_memory: 503,
  worker_threw_exception: 500,
  worker_no_response: 500,
  worker_unavailable: 503,
  no_route: 404,
  origin_unreachable: 502,
  script_too_large: 413,
  bad_request: 400,
  shutting_down: 503,
  internal_error: 500,
} as const;

export type PlatformErrorCode = keyof typeof PlatformErrorStatus;

/** Codes for errors in user input that never reach an HTTP client as such. */
export type UserErrorCode =
  | "config_invalid"
  | "config_not_found"
  | "bundle_failed"
  | "worker_invalid"
  | "unknown_region"
  | "not_found"
  | "unreachable"
  | "usage";

export type ErrorCode = PlatformErrorCode | UserErrorCode;

/**
 * The base of every typed error: a stable `code` callers branch on, a message
 * naming the bad value, and a cause. Each area has its own subclass and codes
 * (VergeError, SubstrateError, DirectoryError, StorageError).
 */
export class CodedError<Code extends string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The error of the platform and its commands: user input, platform failures. */
export class VergeError extends CodedError<ErrorCode> {
  override readonly name = "VergeError";

  /** HTTP status for platform codes, 500 for anything else. */
  get status(): number {
    return (PlatformErrorStatus as Record<string, number>)[this.code] ?? 500;
  }
}

/** The JSON body of a platform error response. */
export function platformErrorBody(code: PlatformErrorCode, message: string): string {
  return JSON.stringify({ error: { code, message } });
}

/** The `{ error: { code, message } }` of an error body (a PoP's, a dev control area's, the control API's), or null. */
export function errorBodyOf(text: string): { code: string; message: string } | null {
  try {
    const { error } = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    return typeof error?.code === "string" && typeof error.message === "string" ? { code: error.code, message: error.message } : null;
  } catch {
    return null;
  }
}

/** Why a fetch failed, in a few words: the system error code (ECONNREFUSED…), or `onTimeout` for a timeout. */
export function fetchFailureOf(error: unknown, onTimeout: string): string {
  if (error instanceof DOMException && error.name === "TimeoutError") return onTimeout;
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
