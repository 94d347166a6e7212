/** @module Test helpers for egress: real HTTP servers on 127.0.0.1 that count their connections. */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { EgressBody } from "./body.js";
import type { EgressRequest } from "./types.js";

/** A running test server. */
export interface TestServer {
  origin: string;
  port: number;
  /** TCP connections accepted so far. */
  connections: number;
  close(): Promise<void>;
}

/** A request handler that may be async; a throw becomes a 500. */
export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

/** The request as `/echo` handlers report it. */
export interface Echo {
  method: string;
  headers: Record<string, string | undefined>;
  body: string;
  auth?: string | null;
}

/** Start a server on 127.0.0.1 with an ephemeral port. */
export async function serve(handler: Handler, host = "127.0.0.1"): Promise<TestServer> {
  const server = http.createServer((req, res) => {
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((err: unknown) => res.writeHead(500).end(String(err)));
  });
  const state = { connections: 0 };
  server.on("connection", () => state.connections++);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    origin,
    port,
    get connections() {
      return state.connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A GET request with defaults for the other fields. */
export function get(url: string, more: Partial<EgressRequest> = {}): EgressRequest {
  return { method: "GET", url, headers: [], body: null, redirect: "follow", ...more };
}

/** Read a whole body as JSON. */
export async function json(body: EgressBody | null): Promise<Echo> {
  return JSON.parse(await text(body)) as Echo;
}

/** Read a whole body as text. */
export async function text(body: EgressBody | null): Promise<string> {
  if (!body) return "";
  const chunks: Uint8Array[] = [];
  for await (const c of body) chunks.push(c);
  return Buffer.concat(chunks).toString("utf8");
}

/** Read a whole request on the server side as text. */
export async function readRequest(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
