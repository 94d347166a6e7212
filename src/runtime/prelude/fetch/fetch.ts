/**
 * @module fetch(): the request crosses the bridge as copied data; the host
 * performs it (SSRF guard, subrequest limit) and streams the response back.
 */
import { Op, type WireBody, type WireRequest, type WireResponse } from "../../bridge/protocol.js";
import { opAsync } from "../core/bridge.js";
import { exportStream, importStream } from "../core/stream-table.js";
import { headersFromWire, headersToWire } from "./headers.js";
import { Request, type RequestInitLike } from "./request.js";
import { Response } from "./response.js";

/** The wire form of a body to send: inline bytes, or an isolate stream the host pulls. */
export function bodyToWire(source: Uint8Array | ReadableStream<Uint8Array> | null): WireBody {
  if (source === null) return null;
  if (source instanceof Uint8Array) return { bytes: source };
  return { stream: exportStream(source as never) };
}

/** A Response over a wire response (inline bytes or a host stream). */
export function responseFromWire(wire: WireResponse): Response {
  const response = new Response(null, { status: wire.status === 101 ? 200 : wire.status, statusText: wire.statusText });
  for (const [name, value] of headersFromWire(wire.headers, "none")) response.headers.append(name, value);
  if (wire.body && "bytes" in wire.body) response.initBody(wire.body.bytes);
  else if (wire.body && "stream" in wire.body) response.initBody(importStream(wire.body.stream));
  return response.setFetched(wire.url ?? "", wire.redirected ?? false);
}

export async function fetch(input: string | URL | Request, init?: RequestInitLike): Promise<Response> {
  const request = new Request(input, init);
  const signal = request.signal;
  if (signal.aborted) throw signal.reason;
  const wire: WireRequest = {
    method: request.method,
    url: request.url,
    headers: headersToWire(request.headers),
    body: bodyToWire(request.sendableBody()),
  };
  const pending = opAsync<WireResponse>(Op.Fetch, wire, request.redirect);
  const wireResponse = await new Promise<WireResponse>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    pending.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
  return responseFromWire(wireResponse);
}
