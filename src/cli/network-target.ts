/**
 * @module Where a command that acts on a network goes: a PoP of `verge dev`
 * (`--dev-url`, default the first PoP) or a NATS cluster joined directly
 * (`--nats`). Checked before anything is reached.
 */
import { randomBytes } from "node:crypto";
import { VergeError } from "../errors.js";

export const DEFAULT_DEV_URL = "http://127.0.0.1:8787";

export type NetworkTarget = { devUrl: string } | { nats: string[] };

/** @throws VergeError `usage` naming the bad flag and its value. */
export function networkTarget(devUrl: string | undefined, nats: string | undefined): NetworkTarget {
  if (devUrl !== undefined && nats !== undefined) throw new VergeError("usage", "--dev-url and --nats cannot be used together: choose a dev PoP or a NATS cluster");
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

/** A substrate view name of its own for a short-lived command (`kv-1a2b3c4d`). */
export const commandViewName = (command: string): string => `${command}-${randomBytes(4).toString("hex")}`;
