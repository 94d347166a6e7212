/**
 * @module The control plane's HTTP server: the API under `/v1/`
 * (docs/control-api.md), `/health`, and the dashboard's pages. Every `/v1/`
 * call is authenticated first, then checked against the token's scope, and
 * only then handled: a refused call changes nothing.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { serveDashboard } from "../dashboard/index.js";
import { ControlError } from "../errors.js";
import { authenticate, authorize } from "./auth.js";
import { sendError, sendJson } from "./http-json.js";
import { AREAS_PREFIX } from "./network-areas.js";
import { routes } from "./routes.js";
import type { ControlServices } from "./services.js";

export interface ControlApiOptions {
  port: number;
  hostname?: string;
  services: ControlServices;
}

export class ControlApi {
  readonly #server: Server;
  readonly #hostname: string;

  private constructor(server: Server, hostname: string) {
    this.#server = server;
    this.#hostname = hostname;
  }

  static async start(options: ControlApiOptions): Promise<ControlApi> {
    const server = createServer((req, res) => void handle(req, res, options.services));
    const hostname = options.hostname ?? "127.0.0.1";
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port, hostname, () => resolve());
    });
    return new ControlApi(server, hostname);
  }

  get url(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://${this.#hostname.includes(":") ? `[${this.#hostname}]` : this.#hostname}:${port}`;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }
}

async function handle(req: IncomingMessage, res: ServerResponse, services: ControlServices): Promise<void> {
  try {
    const url = new URL(req.url ?? "/", "http://control");
    if (url.pathname === "/health") return sendJson(res, 200, { ok: true });
    if (!url.pathname.startsWith("/v1/")) {
      if (serveDashboard(req, res, url)) return;
      throw new ControlError("not_found", `No page at ${url.pathname}`);
    }
    if (url.pathname.startsWith(AREAS_PREFIX)) {
      authorize(await authenticate(req, services.tokens), null);
      return await services.areas.handle(req, res, url);
    }
    const matching = routes.filter((route) => route.path.test(url.pathname));
    if (matching.length === 0) throw new ControlError("not_found", `No API path ${url.pathname}`);
    const route = matching.find((candidate) => candidate.method === req.method);
    if (!route) {
      res.setHeader("allow", matching.map((candidate) => candidate.method).join(", "));
      return sendJson(res, 405, { error: { code: "bad_request", message: `${req.method} is not allowed on ${url.pathname}` } });
    }
    const token = await authenticate(req, services.tokens);
    const params = decodeParams(route.path.exec(url.pathname)!.groups ?? {});
    if (route.scope === "admin") authorize(token, null);
    if (route.scope === "worker") authorize(token, params.worker);
    const result = await route.handle({ req, res, url, params, token, services });
    if (result) sendJson(res, result.status, result.body);
  } catch (error) {
    sendError(res, error);
  }
}

function decodeParams(groups: Record<string, string>): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(groups)) {
    try {
      params[name] = decodeURIComponent(value);
    } catch {
      throw new ControlError("bad_request", `Malformed percent-encoding in ${name}: ${JSON.stringify(value)}`);
    }
  }
  return params;
}
