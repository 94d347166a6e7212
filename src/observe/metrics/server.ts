/**
 * @module The metrics endpoint: a small node:http server on an internal port
 * (9464 by convention), apart from the PoP's public one, answering
 * `GET /metrics` with the Prometheus text format; any other path is a 404,
 * any other method on /metrics a 405.
 */
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { prometheusContentType } from "prom-client";
import { VergeError } from "../../errors.js";

/** The conventional port of a Prometheus exporter of this kind. */
export const DEFAULT_METRICS_PORT = 9464;
export const METRICS_PATH = "/metrics";

export interface MetricsServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** Default 127.0.0.1: metrics are internal. */
  hostname?: string;
  /** The exposition to answer with, read at every scrape: a PopMetrics's `metrics()`, or `mergedMetrics(list)`. */
  metrics: () => Promise<string> | string;
  /** Default: the Prometheus text format's content type. */
  contentType?: string;
}

export interface MetricsServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts the metrics endpoint; rejects with a `usage` error on a bad port or hostname.
 * @example const server = await startMetricsServer({ port: 9464, metrics: () => popMetrics.metrics() });
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const { port, hostname = "127.0.0.1", metrics, contentType = prometheusContentType } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new VergeError("usage", `Metrics port must be an integer from 0 to 65535: received ${String(port)}`);
  if (typeof hostname !== "string" || hostname === "") throw new VergeError("usage", `Metrics hostname must be a non-empty string: received ${JSON.stringify(hostname)}`);
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://metrics").pathname;
    if (path !== METRICS_PATH) return answer(res, 404, `Not found: ${JSON.stringify(path)}; metrics are at ${METRICS_PATH}`);
    if (req.method !== "GET" && req.method !== "HEAD") return answer(res, 405, `Method not allowed: ${JSON.stringify(req.method)}; ${METRICS_PATH} answers GET`, { allow: "GET, HEAD" });
    Promise.resolve()
      .then(metrics)
      .then(
        (text) => answer(res, 200, text, { "content-type": contentType }),
        (error: unknown) => answer(res, 500, `The metrics could not be read: ${error instanceof Error ? error.message : String(error)}`),
      );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, hostname, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${bound}${METRICS_PATH}`,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function answer(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...headers, "content-length": Buffer.byteLength(body) });
  res.end(body);
}
