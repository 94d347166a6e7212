/**
 * @module The fetch ops: subrequests leave through the PoP's egress (SSRF
 * guard, redirects re-checked), counted against the per-request limit, and
 * can be aborted from the isolate (its AbortSignal) until they settle. A
 * request with `cf` cache options goes through the PoP's cache.
 */
import { Op, type WireRequest, type WireResponse } from "../bridge/protocol.js";
import { cfCacheOptions, type CachedFetch } from "../../cache/index.js";
import type { Egress, EgressResponse } from "../../pop/egress/index.js";
import type { Invocation } from "../invocation.js";
import { expectNumber, expectString, OpArgumentError, requireInvocation, type OpTable } from "../ops.js";
import { validateBody, validateHeaders } from "./wire.js";

const REDIRECT_MODES = new Set(["follow", "manual", "error"]);

/** Fetches in flight per invocation, by the isolate's fetch id, until they settle. */
const inFlight = new WeakMap<Invocation, Map<number, AbortController>>();

/** The response as the isolate takes it: a body in memory crosses as bytes, any other streams. */
function toWire(response: EgressResponse, invocation: Invocation): WireResponse {
  return {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
    url: response.url,
    redirected: response.redirected,
    body: response.bytes ? { bytes: response.bytes } : response.body ? { stream: invocation.streams.offer(response.body, () => response.body?.cancel?.()) } : null,
  };
}

export function fetchOps(egress: Egress, cached?: CachedFetch): OpTable {
  return {
    [Op.Fetch](context, [request, redirect, fetchId]) {
      const invocation = requireInvocation(context, "fetch()");
      if (context.opId === 0) throw new OpArgumentError("fetch is asynchronous");
      const wire = request as WireRequest;
      if (typeof wire !== "object" || wire === null) throw new OpArgumentError("request must be an object");
      const method = expectString(wire.method, "method");
      const url = expectString(wire.url, "url");
      const headers = validateHeaders(wire.headers);
      const body = validateBody(wire.body);
      const mode = REDIRECT_MODES.has(redirect as string) ? (redirect as "follow" | "manual" | "error") : "follow";
      const caching = cfCacheOptions(wire.cf);
      const id = fetchId === undefined ? 0 : expectNumber(fetchId, "fetch id");
      invocation.subrequests += 1;
      const limit = invocation.limits.subrequests;
      if (invocation.subrequests > limit) {
        invocation.rejectWith(context.opId, "TypeError", `Too many subrequests: a request may make at most ${limit} fetch() calls (the limit is ${limit} subrequests per request)`);
        return;
      }
      const scope = { worker: context.worker, cacheName: "" };
      // Traced: the subrequest is a child span of the request, and carries its traceparent.
      const span = invocation.trace?.subrequest(method, url);
      const sentHeaders = span ? span.headers(headers) : headers;
      if (caching && cached && body === null) {
        // A fresh cache hit answers at once: no later entry into the isolate to settle it.
        const hit = cached.fresh(scope, { method, url, headers: sentHeaders, body: null, redirect: mode }, caching);
        if (hit) {
          span?.answered(hit.status);
          return toWire(hit, invocation);
        }
      }
      const upload = body === null ? null : "bytes" in body ? body.bytes : "text" in body ? Buffer.from(body.text) : invocation.streams.pullFrom(body.stream);
      const controller = new AbortController();
      // An invocation that ends takes its subrequests with it (their sockets must not outlive its limits).
      invocation.onEnd(() => controller.abort(new Error("The request ended")));
      const pending = inFlight.get(invocation) ?? new Map<number, AbortController>();
      inFlight.set(invocation, pending);
      if (id !== 0) pending.set(id, controller);
      const done = () => {
        if (pending.get(id) === controller) pending.delete(id);
      };
      const outgoing = { method, url, headers: sentHeaders, body: upload, redirect: mode, signal: controller.signal };
      const sent = caching && cached ? cached.fetch(scope, outgoing, caching) : egress.fetch(outgoing);
      sent.then(
        (response) => {
          done();
          span?.answered(response.status);
          if (invocation.ended || controller.signal.aborted) {
            response.body?.cancel?.();
            return;
          }
          invocation.settle(context.opId, true, toWire(response, invocation));
        },
        (error: unknown) => {
          done();
          span?.fail(controller.signal.aborted ? "aborted" : error instanceof Error ? error.message : String(error));
          if (upload !== null && !(upload instanceof Uint8Array)) upload.cancel();
          if (controller.signal.aborted) return invocation.rejectWith(context.opId, "AbortError", "The fetch was aborted");
          invocation.rejectWith(context.opId, "TypeError", error instanceof Error ? error.message : String(error));
        },
      );
    },
    [Op.FetchAbort](context, [fetchId]) {
      const invocation = context.invocation;
      if (!invocation) return;
      const id = expectNumber(fetchId, "fetch id");
      const pending = inFlight.get(invocation);
      pending?.get(id)?.abort(new DOMException("The fetch was aborted", "AbortError"));
      pending?.delete(id);
    },
  };
}
