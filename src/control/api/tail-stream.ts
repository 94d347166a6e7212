/**
 * @module `GET /v1/workers/:worker/tail`: the worker's request records from
 * every PoP as server-sent events, filtered, until the client goes away.
 */
import { parseTailFilter } from "../tail/tail-filter.js";
import type { RouteContext } from "./routes.js";

const KEEP_ALIVE_MS = 15_000;

export async function streamTail({ req, res, url, params, services }: RouteContext): Promise<void> {
  const filter = parseTailFilter(url.searchParams);
  const stop = await services.tails.follow(params.worker, (log) => {
    if (filter.matches(log)) res.write(`data: ${JSON.stringify(log)}\n\n`);
  });
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
  // The first comment tells the client the tail is live: records of requests from now on will come.
  res.write(": tailing\n\n");
  const keepAlive = setInterval(() => res.write(": keep-alive\n\n"), KEEP_ALIVE_MS);
  await new Promise<void>((resolve) => {
    req.socket.once("close", resolve);
    res.once("close", resolve);
  });
  clearInterval(keepAlive);
  stop();
}
