/**
 * @module The control API's refusals as errors of the `verge` command: the
 * API's code and message, with a word on what to check when the token was
 * refused, and network failures naming the URL.
 */
import { fetchFailureOf, VergeError, type ErrorCode } from "../../errors.js";

/** What a 401 or 403 usually means, and what to look at. */
const AUTH_HINTS: Record<number, string> = {
  401: `check --token or VERGE_API_TOKEN: a token is "verge_<id>_<secret>", as "verge start" printed it at the first start of its data dir`,
  403: "the token may not do this: a worker's token reaches only that worker (check --name), and only an admin token manages tokens",
};

/** The command-side code of an API code: exit status 2 for what the arguments got wrong, 1 for the rest. */
function vergeCodeOf(status: number, apiCode: string): ErrorCode {
  if (apiCode === "invalid_upload" || apiCode === "bundle_too_large") return "worker_invalid";
  if (status === 404) return "not_found";
  if (status === 400 || status === 401 || status === 403) return "usage";
  return "internal_error";
}

/**
 * A refusal of the control API, e.g. `invalid_upload: The bundle has no default export…`.
 * `apiCode` and `httpStatus` are the API's own.
 *
 * @example if (error instanceof ControlApiError && error.apiCode === "version_not_found") …
 */
export class ControlApiError extends VergeError {
  constructor(
    readonly httpStatus: number,
    readonly apiCode: string,
    apiMessage: string,
  ) {
    const hint = AUTH_HINTS[httpStatus];
    super(vergeCodeOf(httpStatus, apiCode), `${apiCode}: ${apiMessage}${hint ? `; ${hint}` : ""}`);
  }
}

/** No answer from the API at `base`: refused, unresolvable, timed out. */
export function unreachable(base: string, what: string, error: unknown): VergeError {
  return new VergeError("unreachable", `Cannot reach the control API at ${base} (${what}): ${fetchFailureOf(error, "no answer in time")}; is "verge start" running there? Check --api or VERGE_API_URL`, { cause: error });
}

/** An answer that is not the API's: some other server listens at `base`. */
export function notAnApi(base: string, what: string, status: number, text: string): VergeError {
  return new VergeError("unreachable", `${base} is not a Verge control API: ${what} answered HTTP ${status} ${JSON.stringify(text.slice(0, 80))}; check --api or VERGE_API_URL`);
}

