/**
 * @module Where a command that acts on a network goes: a PoP of `verge dev`
 * (`--dev-url`, default the first PoP), a NATS cluster joined directly
 * (`--nats`), or the control API of `verge start` with an admin token
 * (`--api`, or VERGE_API_URL when no target flag is given). Checked before
 * anything is reached.
 */
import { randomBytes } from "node:crypto";
import { VergeError } from "../errors.js";

export const DEFAULT_DEV_URL = "http://127.0.0.1:8787";

export type NetworkTarget = { devUrl: string } | { nats: string[] } | { api: string; token: string };

/** The flags that choose a target. */
export interface TargetFlags {
  devUrl?: string;
  nats?: string;
  api?: string;
  token?: string;
}

/** Their help lines, for the commands that take them. */
export const TARGET_HELP = `  --dev-url <url>       A PoP of "verge dev" (default ${DEFAULT_DEV_URL})
  --nats <url,…>        A NATS cluster of "verge pop" processes, joined
                        directly (instead of --dev-url)
  --api <url>           The control API of "verge start" (default: VERGE_API_URL
                        when no other target is given), with an admin token:
  --token <token>       (default: VERGE_API_TOKEN)`;

/** @throws VergeError `usage` naming the bad flag and its value. */
export function networkTarget(flags: TargetFlags, env: NodeJS.ProcessEnv = process.env): NetworkTarget {
  const { devUrl, nats } = flags;
  const given = [devUrl !== undefined && "--dev-url", nats !== undefined && "--nats", flags.api !== undefined && "--api"].filter(Boolean);
  if (given.length > 1) throw new VergeError("usage", `${given.join(" and ")} cannot be used together: choose a dev PoP, a NATS cluster or the control API`);
  const api = flags.api ?? (given.length === 0 && env.VERGE_API_URL ? env.VERGE_API_URL : undefined);
  if (api !== undefined) return apiTarget(api, flags.token ?? (env.VERGE_API_TOKEN || undefined), flags.api !== undefined ? "--api" : "VERGE_API_URL");
  if (nats !== undefined) {
    const servers = nats.split(",").map((server) => server.trim());
    for (const server of servers) if (!/^(nats|tls):\/\/[^\s/]+$|^[^\s:/]+:\d+$/.test(server)) throw new VergeError("usage", `--nats must be NATS server URLs such as nats://127.0.0.1:4222, comma-separated: received ${JSON.stringify(nats)}`);
    return { nats: servers };
  }
  const url = devUrl ?? DEFAULT_DEV_URL;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed?.protocol !== "http:" && parsed?.protocol !== "https:") throw new VergeError("usage", `--dev-url must be an http(s) URL of a "verge dev" PoP: received ${JSON.stringify(url)}`);
  return { devUrl: parsed.origin };
}

function apiTarget(api: string, token: string | undefined, from: string): NetworkTarget {
  let parsed: URL | undefined;
  try {
    parsed = new URL(api);
  } catch {
    parsed = undefined;
  }
  if (parsed?.protocol !== "http:" && parsed?.protocol !== "https:") throw new VergeError("usage", `${from} must be the http(s) URL of the control API of "verge start": received ${JSON.stringify(api)}`);
  if (!token) throw new VergeError("usage", `${from} needs an admin token: pass --token <token> or set VERGE_API_TOKEN (verge start prints one at its first start)`);
  if (!/^verge_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/.test(token)) throw new VergeError("usage", `The API token must look like verge_<id>_<secret>: received ${JSON.stringify(token.length > 16 ? `${token.slice(0, 16)}…` : token)}`);
  return { api: parsed.origin, token };
}

/** A substrate view name of its own for a short-lived command (`kv-1a2b3c4d`). */
export const commandViewName = (command: string): string => `${command}-${randomBytes(4).toString("hex")}`;
