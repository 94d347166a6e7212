/**
 * @module Who is calling: the bearer token of a control API request, and
 * whether it may act on a worker. A missing or unknown token is 401; a
 * worker-scoped token acting elsewhere, or on an admin-only path, is 403.
 */
import type { IncomingMessage } from "node:http";
import type { TokenRecord, TokenStore } from "../auth/token-store.js";
import { ControlError } from "../errors.js";

export async function authenticate(req: IncomingMessage, tokens: TokenStore): Promise<TokenRecord> {
  const header = req.headers.authorization;
  if (!header) throw new ControlError("unauthorized", "No API token: send Authorization: Bearer <token> (VERGE_API_TOKEN)");
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new ControlError("unauthorized", "The Authorization header is not Bearer <token>");
  const record = await tokens.verify(match[1]);
  if (!record) throw new ControlError("unauthorized", "The API token is not valid (unknown, deleted, or mistyped)");
  return record;
}

/** Throws 403 unless `token` may act on `worker` (null: an admin-only action). */
export function authorize(token: TokenRecord, worker: string | null): void {
  if (token.worker === null) return;
  if (worker === null) throw new ControlError("forbidden", `Token "${token.name}" is scoped to worker "${token.worker}": this needs an admin token`);
  if (worker !== token.worker) throw new ControlError("forbidden", `Token "${token.name}" is scoped to worker "${token.worker}", not "${worker}"`);
}
