/**
 * @module Validation of wire values that come from tenant code. The prelude
 * builds them, but tenant code can replace any built-in the prelude uses, so
 * the host trusts nothing it receives.
 */
import type { WireBody, WireHeaders, WireResponse } from "../bridge/protocol.js";
import { OpArgumentError } from "../ops.js";

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HEADER_VALUE = /^[^\0\r\n]*$/;

export function validateHeaders(headers: unknown): WireHeaders {
  if (!Array.isArray(headers)) throw new OpArgumentError("headers must be a list of pairs");
  for (const pair of headers) {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== "string" || typeof pair[1] !== "string") {
      throw new OpArgumentError("headers must be a list of [name, value] string pairs");
    }
    if (!HEADER_NAME.test(pair[0])) throw new OpArgumentError(`Invalid header name: "${pair[0]}"`);
    if (!HEADER_VALUE.test(pair[1])) throw new OpArgumentError(`Invalid header value for ${pair[0]}`);
  }
  return headers as WireHeaders;
}

export function validateBody(body: unknown): WireBody {
  if (body === null || body === undefined) return null;
  if (typeof body === "object" && "bytes" in body && (body).bytes instanceof Uint8Array) return body as WireBody;
  if (typeof body === "object" && "stream" in body && typeof (body).stream === "number") return body as WireBody;
  throw new OpArgumentError("body must be bytes, a stream or null");
}

export function validateWireResponse(wire: WireResponse): WireResponse {
  if (typeof wire !== "object" || wire === null) throw new OpArgumentError("response must be an object");
  const status = wire.status;
  if (!Number.isInteger(status) || status < 101 || status > 599) throw new OpArgumentError(`Invalid status: ${String(status)}`);
  const statusText = typeof wire.statusText === "string" ? wire.statusText : "";
  return { status, statusText, headers: validateHeaders(wire.headers), body: validateBody(wire.body) };
}
