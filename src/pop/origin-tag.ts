/** @module The PoP's egress toward its own origin: requests there carry `x-verge-pop`, so the origin knows which PoP is calling. */
import type { Egress } from "./egress/index.js";

/** The header a PoP adds to its requests to its origin. */
export const POP_HEADER = "x-verge-pop";

/**
 * `egress`, with `x-verge-pop: <pop>` set on every request to `origin` (any
 * value the worker gave that header is replaced). Other requests are untouched.
 */
export function tagOriginRequests(egress: Egress, origin: string, pop: string): Egress {
  const target = new URL(origin).origin;
  return {
    fetch(req) {
      let url: URL | undefined;
      try {
        url = new URL(req.url);
      } catch {
        url = undefined; // The egress reports the bad URL itself.
      }
      if (url?.origin !== target) return egress.fetch(req);
      const headers: [string, string][] = [...req.headers.filter(([name]) => name.toLowerCase() !== POP_HEADER), [POP_HEADER, pop]];
      return egress.fetch({ ...req, headers });
    },
    close: () => egress.close(),
  };
}
