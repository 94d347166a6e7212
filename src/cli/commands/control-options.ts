/**
 * @module What the control-plane commands (`deploy`, `versions`, `rollback`,
 * `promote`, `secret`, `tail`) share: `--api` and `--token` (or
 * VERGE_API_URL and VERGE_API_TOKEN), and the worker they act on.
 */
import { loadWorkerConfig } from "../../config/index.js";
import { ControlClient, describeAutoRollback, describeShares, type Deployment } from "../../control/client/index.js";
import { checkWorkerName } from "../../control/store/names.js";
import { VergeError } from "../../errors.js";

/** The flags every control-plane command takes. */
export const controlOptions = {
  api: { type: "string" },
  token: { type: "string" },
  name: { type: "string" },
} as const;

/** Their lines in a command's help. */
export const controlOptionsHelp = `  --name <worker>       The worker (default: the name in the wrangler config
                        of the current directory)
  --api <url>           The control API of "verge start" (default: VERGE_API_URL)
  --token <token>       An API token, verge_<id>_<secret> (default: VERGE_API_TOKEN)
  -h, --help            Show this help

"verge start" prints both at the first start of its data dir:
  export VERGE_API_URL=http://127.0.0.1:8786
  export VERGE_API_TOKEN=verge_<id>_<secret>`;

const HOW = `"verge start" prints both at the first start of its data dir as "export VERGE_API_URL=…" and "export VERGE_API_TOKEN=…"`;
const TOKEN = /^verge_[\x21-\x7e]+$/;

type Values = Record<string, string | boolean | undefined>;

/**
 * A client of the API that `--api`/`--token` (or the environment) name.
 * @throws VergeError `usage` when either is missing or malformed, naming the flag or variable and the value.
 */
export function clientFrom(values: Values, env: NodeJS.ProcessEnv = process.env): ControlClient {
  const [apiFrom, api] = values.api !== undefined ? ["--api", String(values.api)] : ["VERGE_API_URL", env.VERGE_API_URL];
  const [tokenFrom, token] = values.token !== undefined ? ["--token", String(values.token)] : ["VERGE_API_TOKEN", env.VERGE_API_TOKEN];
  if (!api) throw new VergeError("usage", `No control API given: pass --api <url> or set VERGE_API_URL; ${HOW}`);
  if (!token) throw new VergeError("usage", `No API token given: pass --token <token> or set VERGE_API_TOKEN; ${HOW}`);
  if (!TOKEN.test(token)) throw new VergeError("usage", `${tokenFrom} must be a token like verge_<id>_<secret>: received ${JSON.stringify(token.length > 16 ? `${token.slice(0, 16)}…` : token)}`);
  return new ControlClient({ base: apiBase(apiFrom, api), token });
}

/** The API's base URL: an http(s) URL, without a trailing `/` or `/v1`. */
function apiBase(from: string, text: string): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.search || url.hash) {
    throw new VergeError("usage", `${from} must be an http(s) URL such as http://127.0.0.1:8786: received ${JSON.stringify(text)}`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "").replace(/\/v1$/, "")}`;
}

/**
 * The worker to act on: `--name`, or the name in the wrangler config of `dir`.
 * @throws VergeError `usage` for a name the API would refuse, or no name and no config.
 */
export async function workerFrom(values: Values, dir = "."): Promise<string> {
  const named = nameFlag(values);
  if (named !== undefined) return named;
  try {
    return (await loadWorkerConfig(dir)).name;
  } catch (error) {
    if (error instanceof VergeError && error.code === "config_not_found") {
      throw new VergeError("usage", `No worker named: pass --name <worker>, or run this in a worker's directory (${error.message})`, { cause: error });
    }
    throw error;
  }
}

/** `--name`, checked as the API checks worker names; undefined when not given. */
export function nameFlag(values: Values): string | undefined {
  if (values.name === undefined) return undefined;
  try {
    return checkWorkerName(String(values.name));
  } catch (error) {
    throw new VergeError("usage", `--name: ${(error as Error).message}`, { cause: error });
  }
}

/** A whole number flag within bounds, e.g. `--percent` from 1 to 100. */
export function wholeNumber(flag: string, value: string | boolean | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (typeof value !== "string" || !/^\d+$/.test(value.trim()) || number < min || number > max) {
    throw new VergeError("usage", `${flag} must be a whole number from ${min} to ${max}: received ${JSON.stringify(value)}`);
  }
  return number;
}

/** Prints what serves the worker after a change: `<command>: hello now serves … at 100%`. */
export function printServing(command: string, deployment: Deployment): void {
  console.log(`${command}: ${deployment.worker} now serves ${describeShares(deployment)}`);
  const rollback = describeAutoRollback(deployment);
  if (rollback) console.log(`${command}: ${rollback}`);
}
