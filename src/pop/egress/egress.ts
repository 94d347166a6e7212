/** @module `createEgress`: outgoing fetch for workers through undici, behind the SSRF guard, following redirects by hand. */
import { Readable } from "node:stream";
import { Agent, type Dispatcher } from "undici";
import { discard, streamBody } from "./body.js";
import { isIpLiteral, isMetadataHost, refusalFor } from "./classify.js";
import { guardedConnector } from "./connector.js";
import { decode, decodersFor } from "./decode.js";
import { EgressRefused } from "./errors.js";
import { flatHeaders, headerValue, incomingHeaders, outgoingHeaders, withoutHeaders } from "./headers.js";
import { followRedirect, locationOf, REDIRECT_STATUSES, type Hop } from "./redirect.js";
import type { Egress, EgressOptions, EgressRequest, EgressResponse } from "./types.js";

/** Statuses whose responses have no body (Fetch "null body status"). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
/** Methods the Fetch standard upper-cases. */
const NORMALIZED_METHODS = new Set(["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"]);
const DECODED_HEADERS = new Set(["content-encoding", "content-length"]);

/**
 * Create the outgoing fetch of a PoP. Only public addresses are reached unless
 * `allowLocal`; every connection is checked after DNS, and every redirect hop again.
 * @example
 * const egress = createEgress();
 * const res = await egress.fetch({ method: "GET", url: "https://example.com/", headers: [], body: null, redirect: "follow" });
 */
export function createEgress(options: EgressOptions = {}): Egress {
  const maxRedirects = options.maxRedirects ?? 20;
  if (!Number.isInteger(maxRedirects) || maxRedirects < 0) {
    throw new RangeError(`maxRedirects must be an integer >= 0: received ${maxRedirects}`);
  }
  const allowed = new Set((options.allowedOrigins ?? []).map((o) => new URL(o).origin));
  const guarded = new Agent({ connect: guardedConnector(options.lookup) });
  const open = new Agent({ connect: options.lookup ? { lookup: options.lookup } : {} });
  const isExempt = (url: URL) => options.allowLocal === true || allowed.has(url.origin);

  /** Refuse what can be refused without DNS: schemes, metadata hostnames, IP literals. */
  function precheck(url: URL): void {
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new EgressRefused(url.href, null, "scheme");
    if (isExempt(url)) return;
    const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
    if (isMetadataHost(host)) throw new EgressRefused(url.href, host, "metadata-host");
    const reason = isIpLiteral(host) ? refusalFor(host) : null;
    if (reason) throw new EgressRefused(url.href, host, reason);
  }

  async function send(hop: Hop, signal: AbortSignal | undefined): Promise<Dispatcher.ResponseData> {
    precheck(hop.url);
    const body = hop.body === null || hop.body instanceof Uint8Array ? hop.body : Readable.from(hop.body, { objectMode: false });
    try {
      return await (isExempt(hop.url) ? open : guarded).request({
        origin: hop.url.origin,
        path: hop.url.pathname + hop.url.search,
        method: hop.method,
        headers: flatHeaders(hop.headers),
        body,
        signal,
      });
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      if (err instanceof EgressRefused) throw new EgressRefused(hop.url.href, err.address, err.reason, { cause: err });
      throw new TypeError(`fetch to ${hop.url.href} failed: ${(err as Error).message}`, { cause: err });
    }
  }

  async function fetch(req: EgressRequest): Promise<EgressResponse> {
    const upper = req.method.toUpperCase();
    const method = NORMALIZED_METHODS.has(upper) ? upper : req.method;
    if ((method === "GET" || method === "HEAD") && req.body !== null) {
      throw new TypeError(`fetch to ${req.url} failed: a ${method} request cannot have a body`);
    }
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      throw new TypeError(`fetch failed: invalid URL "${req.url}"`);
    }
    let hop: Hop = { url, method, headers: outgoingHeaders(req.headers, options.userAgent), body: req.body };
    for (let redirects = 0; ; redirects++) {
      const res = await send(hop, req.signal);
      const location = res.headers.location;
      if (!REDIRECT_STATUSES.has(res.statusCode) || typeof location !== "string" || req.redirect === "manual") {
        return respond(hop, res, redirects > 0);
      }
      await discard(res.body);
      if (req.redirect === "error") {
        throw new TypeError(`fetch to ${hop.url.href} failed: redirected (${res.statusCode}) while redirect mode is "error"`);
      }
      if (redirects >= maxRedirects) {
        throw new TypeError(`fetch to ${req.url} failed: more than ${maxRedirects} redirects`);
      }
      hop = followRedirect(hop, res.statusCode, locationOf(hop.url, location));
    }
  }

  return {
    fetch,
    async close() {
      await Promise.all([guarded.close(), open.close()]);
    },
  };
}

/** The response handed to the worker: content decoded (Workers does), hop-by-hop headers gone. */
async function respond(hop: Hop, res: Dispatcher.ResponseData, redirected: boolean): Promise<EgressResponse> {
  let headers = incomingHeaders(res.headers);
  const base = { status: res.statusCode, statusText: res.statusText ?? "", url: hop.url.href, redirected };
  if (hop.method === "HEAD" || NULL_BODY_STATUSES.has(res.statusCode)) {
    await discard(res.body);
    return { ...base, headers, body: null };
  }
  const decoders = decodersFor(headerValue(headers, "content-encoding"));
  if (decoders === null || decoders.length === 0) return { ...base, headers, body: streamBody(res.body) };
  headers = withoutHeaders(headers, DECODED_HEADERS);
  return { ...base, headers, body: streamBody(decode(res.body, decoders)) };
}
