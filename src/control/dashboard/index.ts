/**
 * @module The control plane's web dashboard: one page at `/` and its assets
 * under `/dashboard/`, served from memory (the page, its style and its script
 * modules are string modules, so `dist/` needs nothing copied and the page
 * works without any network but the control API's own origin).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { DASHBOARD_ASSETS, type Asset } from "./assets.js";

/** Where the dashboard's assets live; everything under it is the dashboard's. */
export const DASHBOARD_PREFIX = "/dashboard/";

/** Headers of every answer: nothing from other origins, no sniffing, no referrer. */
const COMMON_HEADERS = {
  "content-security-policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-cache",
};

/**
 * Answers a request for the dashboard: the page at `/`, its assets at
 * `/dashboard/<name>` (GET or HEAD; other methods 405, unknown assets 404).
 * Returns false, without answering, for any other path.
 * @example if (serveDashboard(req, res, url)) return; // then the API's own routes
 */
export function serveDashboard(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
  const path = url.pathname;
  if (path !== "/" && !path.startsWith(DASHBOARD_PREFIX)) return false;
  const asset = DASHBOARD_ASSETS.get(path === "/" ? "index.html" : path.slice(DASHBOARD_PREFIX.length));
  if (req.method !== "GET" && req.method !== "HEAD") {
    plain(res, 405, `The dashboard answers GET and HEAD, not ${JSON.stringify(req.method)}`, { allow: "GET, HEAD" });
  } else if (!asset) {
    plain(res, 404, `No dashboard asset at ${JSON.stringify(path)}`);
  } else {
    send(res, asset, req.method === "HEAD");
  }
  return true;
}

function send(res: ServerResponse, asset: Asset, headOnly: boolean): void {
  res.writeHead(200, { ...COMMON_HEADERS, "content-type": asset.type, "content-length": String(asset.body.byteLength) });
  res.end(headOnly ? undefined : asset.body);
}

function plain(res: ServerResponse, status: number, message: string, extra: Record<string, string> = {}): void {
  const body = Buffer.from(message + "\n");
  res.writeHead(status, { ...COMMON_HEADERS, ...extra, "content-type": "text/plain; charset=utf-8", "content-length": String(body.byteLength) });
  res.end(body);
}
