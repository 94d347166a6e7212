/**
 * @module `verge dev --origin <region>`: a simulated origin server standing in
 * a region, answering each PoP after the model's round trip between them.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { POP_HEADER } from "../pop/origin-tag.js";
import { isRegionName, region, rttMs } from "../regions/index.js";

/** A running simulated origin. */
export interface SimulatedOrigin {
  readonly region: string;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The round trip a request from `caller` (the `x-verge-pop` of the PoP that
 * sent it) pays to reach an origin in `originRegion`; 0 when the caller is not
 * a PoP named after a region (a direct request, or the "dev" PoP).
 */
export function originDelayMs(caller: string | undefined, originRegion: string): number {
  return caller !== undefined && isRegionName(caller) ? rttMs(caller, originRegion) : 0;
}

/**
 * Starts an origin in region `name` on a free loopback port. It answers
 * `origin in <region>: <method> <path>`, with the calling PoP in
 * `x-verge-caller-pop` and the simulated delay in `x-verge-origin-delay-ms`.
 *
 * @throws VergeError `unknown_region` for a name not in the regions table.
 */
export async function startSimulatedOrigin(name: string): Promise<SimulatedOrigin> {
  const where = region(name).name;
  const server = createServer((req, res) => {
    const caller = req.headers[POP_HEADER] as string | undefined;
    const ms = originDelayMs(caller, where);
    req.resume(); // The body is not used; read it so the connection stays reusable.
    const answer = (): void => {
      if (res.destroyed) return;
      const body = `origin in ${where}: ${req.method ?? "GET"} ${req.url ?? "/"}\n`;
      res.writeHead(200, {
        "content-type": "text/plain; charset=utf-8",
        "content-length": Buffer.byteLength(body),
        "x-verge-origin-region": where,
        "x-verge-caller-pop": caller ?? "",
        "x-verge-origin-delay-ms": String(ms),
      });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    sleep(ms).then(answer, answer);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return {
    region: where,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
