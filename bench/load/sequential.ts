/**
 * @module Sequential GETs over one keep-alive connection, each timed on the
 * client from sending the request to the last byte of the response. Used for
 * cold starts: the first request to each never-loaded worker.
 */
import { Agent, request } from "node:http";
import type { Socket } from "node:net";

export interface TimedGet {
  host: string;
  /** The body a correct answer has; anything else fails the run. */
  expected?: string;
}

export interface SequentialResult {
  /** Client-side time to the full response, one per request, in order. */
  timesMs: number[];
  /** TCP connections used (1 when keep-alive held throughout). */
  connections: number;
}

function get(agent: Agent, url: URL, host: string, sockets: Set<Socket>): Promise<{ status: number; body: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(url, { agent, headers: { host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), ms: performance.now() - started }));
      res.on("error", reject);
    });
    req.on("socket", (socket: Socket) => sockets.add(socket));
    req.on("error", reject);
    req.end();
  });
}

/**
 * Opens the connection with one request to `primeHost` (any answer will do:
 * it must not load a worker), then times each request in turn.
 */
export async function timeSequentialGets(baseUrl: string, primeHost: string, gets: TimedGet[]): Promise<SequentialResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL("/", baseUrl);
  const sockets = new Set<Socket>();
  try {
    await get(agent, url, primeHost, sockets);
    const timesMs: number[] = [];
    for (const { host, expected } of gets) {
      const res = await get(agent, url, host, sockets);
      if (res.status !== 200 || (expected !== undefined && res.body !== expected)) {
        throw new Error(`${host} answered ${res.status} ${JSON.stringify(res.body.slice(0, 200))}, expected 200 ${JSON.stringify(expected)}`);
      }
      timesMs.push(res.ms);
    }
    return { timesMs, connections: sockets.size };
  } finally {
    agent.destroy();
  }
}
