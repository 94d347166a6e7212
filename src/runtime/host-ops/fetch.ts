/**
 * @module The fetch op: subrequests leave through the PoP's egress (SSRF
 * guard, redirects re-checked), counted against the per-request limit.
 */
import { Op, type WireRequest, type WireResponse } from "../bridge/protocol.js";
import type { Egress } from "../../pop/egress/index.js";
import { expectString, OpArgumentError, requireInvocation, type OpTable } from "../ops.js";
import { validateBody, validateHeaders } from "./wire.js";

const REDIRECT_MODES = new Set(["follow", "manual", "error"]);

export function fetchOps(egress: Egress): OpTable {
  return {
    [Op.Fetch](context, [request, redirect]) {
      const invocation = requireInvocation(context, "fetch()");
      if (context.opId === 0) throw new OpArgumentError("fetch is asynchronous");
      const wire = request as WireRequest;
      if (typeof wire !== "object" || wire === null) throw new OpArgumentError("request must be an object");
      const method = expectString(wire.method, "method");
      const url = expectString(wire.url, "url");
      const headers = validateHeaders(wire.headers);
      const body = validateBody(wire.body);
      const mode = REDIRECT_MODES.has(redirect as string) ? (redirect as "follow" | "manual" | "error") : "follow";
      invocation.subrequests += 1;
      const limit = invocation.limits.subrequests;
      if (invocation.subrequests > limit) {
        invocation.rejectWith(context.opId, "TypeError", `Too many subrequests: a request may make at most ${limit} fetch() calls (the limit is ${limit} subrequests per request)`);
        return;
      }
      const upload = body === null ? null : "bytes" in body ? body.bytes : invocation.streams.pullFrom(body.stream);
      egress.fetch({ method, url, headers, body: upload, redirect: mode }).then(
        (response) => {
          if (invocation.ended) {
            response.body?.cancel?.();
            return;
          }
          const result: WireResponse = {
            status: response.status,
            statusText: response.statusText,
            headers: response.headers,
            url: response.url,
            redirected: response.redirected,
            body: response.body ? { stream: invocation.streams.offer(response.body, () => response.body?.cancel?.()) } : null,
          };
          invocation.settle(context.opId, true, result);
        },
        (error: unknown) => invocation.rejectWith(context.opId, "TypeError", error instanceof Error ? error.message : String(error)),
      );
    },
  };
}
