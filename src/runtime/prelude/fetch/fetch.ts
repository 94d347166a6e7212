/**
 * @module fetch(): the request crosses the bridge as copied data; the host
 * performs it (SSRF guard, subrequest limit) and streams the response back.
 * The request's AbortSignal aborts the host's fetch while it is in flight and
 * errors the response body afterwards.
 */
import { Op, type WireBody, type WireRequest, type WireResponse } from "../../bridge/protocol.js";
import { opAsync, opSync } from "../core/bridge.js";
import { exportStream, importStream } from "../core/stream-table.js";
import { headersToWire, setGuard } from "./headers.js";
import { Request, type RequestInitLike } from "./request.js";
import { Response } from "./response.js";

let nextFetchId = 1;

/** The wire form of a body to send: inline bytes, or an isolate stream the host pulls. */
export function bodyToWire(source: Uint8Array | string | ReadableStream<Uint8Array> | null): WireBody {
  if (source === null) return null;
  if (typeof source === "string") return { text: source };
  if (source instanceof Uint8Array) return { bytes: source };
  return { stream: exportStream(source as never) };
}

/** A Response over a wire response (inline bytes or a host stream); its headers are immutable. */
export function responseFromWire(wire: WireResponse, signal?: AbortSignal): Response {
  const response = new Response(null, { status: wire.status === 101 ? 200 : wire.status, statusText: wire.statusText });
  for (const [name, value] of wire.headers) response.headers.append(name, value);
  setGuard(response.headers, "immutable");
  if (wire.body && "bytes" in wire.body) response.initBody(wire.body.bytes);
  else if (wire.body && "stream" in wire.body) response.initBody(importStream(wire.body.stream, signal));
  return response.setFetched(wire.url ?? "", wire.redirected ?? false);
}

const CACHE_OPTIONS = ["cacheTtl", "cacheTtlByStatus", "cacheEverything", "cacheKey", "cacheTags"];

/** The `cf` fields the PoP acts on (cache options); the rest, such as an incoming request's geolocation, stays here. */
function cacheOptionsOf(cf: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (cf === undefined || cf === null || typeof cf !== "object") return cf;
  let picked: Record<string, unknown> | undefined;
  for (const name of CACHE_OPTIONS) if (cf[name] !== undefined) (picked ??= {})[name] = cf[name];
  return picked;
}

/** fetch() (WHATWG Fetch), as Workers has it: redirect modes, streamed bodies, AbortSignal. */
export async function fetch(input: string | URL | Request, init?: RequestInitLike): Promise<Response> {
  const request = new Request(input, init);
  const signal = request.signal;
  signal.throwIfAborted();
  const wire: WireRequest = {
    method: request.method,
    url: request.url,
    headers: headersToWire(request.headers),
    body: bodyToWire(request.sendableBody()),
  };
  const cacheOptions = cacheOptionsOf(request.cf);
  if (cacheOptions) wire.cf = cacheOptions;
  const fetchId = nextFetchId++;
  const pending = opAsync<WireResponse>(Op.Fetch, wire, request.redirect, fetchId);
  const wireResponse = await new Promise<WireResponse>((resolve, reject) => {
    const onAbort = () => {
      reject(signal.reason);
      opSync(Op.FetchAbort, fetchId);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    pending.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
  return responseFromWire(wireResponse, signal);
}
