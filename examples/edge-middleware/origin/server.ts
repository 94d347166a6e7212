/** @module The demo origin (node:http): JWKS, demo tokens, /api/me echoing the edge's headers, a personalized page at /. */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { homePage, STYLE_CSS, type EdgeFacts } from "./page.js";
import { createTokenIssuer, type TokenIssuer, type TokenOptions } from "./tokens.js";

export const DEFAULT_ORIGIN_PORT = 8780;
const SUB = /^[A-Za-z0-9._@-]{1,64}$/;

/** One request as the origin saw it. */
export interface OriginRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

export interface OriginOptions {
  /** 8780 by default; 0 for any free port. */
  port?: number;
  hostname?: string;
  /** Called for every request, before it is answered. */
  onRequest?: (request: OriginRequest) => void;
}

export interface Origin {
  /** e.g. `http://127.0.0.1:8780` */
  url: string;
  issueToken(sub: string, options?: TokenOptions): Promise<string>;
  close(): Promise<void>;
}

function header(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(", ") : (value ?? "");
}

function factsOf(req: IncomingMessage): EdgeFacts {
  return { currency: header(req, "x-currency"), language: header(req, "x-language"), country: header(req, "x-country"), cohort: header(req, "x-cohort"), user: header(req, "x-user") };
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) }).end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, "application/json", `${JSON.stringify(value, null, 2)}\n`);
}

async function streamPage(res: ServerResponse, facts: EdgeFacts): Promise<void> {
  res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "private, no-store" });
  for (const chunk of homePage(facts)) {
    res.write(chunk);
    await new Promise((resolve) => setImmediate(resolve));
  }
  res.end();
}

async function route(req: IncomingMessage, res: ServerResponse, issuer: TokenIssuer): Promise<void> {
  const url = new URL(req.url ?? "/", "http://origin.invalid");
  if (req.method !== "GET" && req.method !== "HEAD") return sendJson(res, 405, { error: { code: "method_not_allowed", message: `Only GET is served: received ${req.method}` } });
  switch (url.pathname) {
    case "/.well-known/jwks.json":
      res.setHeader("cache-control", "public, max-age=300");
      return send(res, 200, "application/jwk-set+json", JSON.stringify(issuer.jwks));
    case "/token": {
      const sub = url.searchParams.get("sub") ?? "";
      if (!SUB.test(sub)) return sendJson(res, 400, { error: { code: "bad_sub", message: `sub must be 1-64 letters, digits or ._@-: received ${JSON.stringify(sub)}` } });
      return send(res, 200, "text/plain; charset=utf-8", `${await issuer.issueToken(sub)}\n`);
    }
    case "/api/me": {
      const facts = factsOf(req);
      const edgeHeaders = Object.fromEntries(["x-user", "x-cohort", "x-currency", "x-language", "x-country"].map((name) => [name, header(req, name)]));
      return sendJson(res, 200, { user: facts.user, cohort: facts.cohort, currency: facts.currency, language: facts.language, country: facts.country, edgeHeaders });
    }
    case "/style.css":
      return send(res, 200, "text/css; charset=utf-8", STYLE_CSS);
    case "/":
      return streamPage(res, factsOf(req));
    default:
      return sendJson(res, 404, { error: { code: "not_found", message: `No such page: ${url.pathname}` } });
  }
}

/**
 * Start the origin on loopback.
 * @example
 * const origin = await startOrigin({ port: 0 });
 * const token = await origin.issueToken("alice");
 * await origin.close();
 */
export async function startOrigin(options: OriginOptions = {}): Promise<Origin> {
  const issuer = await createTokenIssuer();
  const server = createServer((req, res) => {
    options.onRequest?.({ method: req.method ?? "GET", path: req.url ?? "/", headers: req.headers });
    route(req, res, issuer).catch((error: unknown) => {
      console.error("origin: request failed:", error);
      if (!res.headersSent) sendJson(res, 500, { error: { code: "internal_error", message: "The origin failed" } });
      else res.destroy();
    });
  });
  const hostname = options.hostname ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? DEFAULT_ORIGIN_PORT, hostname, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`,
    issueToken: (sub, tokenOptions) => issuer.issueToken(sub, tokenOptions),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
