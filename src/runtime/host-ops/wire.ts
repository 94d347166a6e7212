/**
 * @module Validation of wire values that come from tenant code. The prelude
 * builds them, but tenant code can replace any built-in the prelude uses, so
 * the host trusts nothing it receives.
 */
import type { WireBody, WireHeaders } from "../bridge/protocol.js";
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
  if (typeof body === "object" && "text" in body && typeof (body).text === "string") return body as WireBody;
  throw new OpArgumentError("body must be bytes, text, a stream or null");
}

const REASON_PHRASE = /^[\t\x20-\x7e\x80-\xff]{0,512}$/;

/** A final response status (interim 1xx statuses are not responses). */
export function validateStatus(status: unknown): number {
  if (typeof status !== "number" || !Number.isInteger(status) || status < 200 || status > 599) throw new OpArgumentError(`Invalid response status: ${String(status)} (expected 200 to 599)`);
  return status;
}

export function validateStatusText(text: unknown): string {
  if (text === undefined || text === null) return "";
  if (typeof text !== "string" || !REASON_PHRASE.test(text)) throw new OpArgumentError(`Invalid statusText: ${JSON.stringify(String(text)).slice(0, 80)}`);
  return text;
}

/** A flat `[name, value, …]` header list from its JSON, validated. */
export function flatHeadersFromJson(json: unknown): string[] {
  if (typeof json !== "string") throw new OpArgumentError("headers must be the JSON of a flat list");
  const flat: unknown = JSON.parse(json);
  if (!Array.isArray(flat) || flat.length % 2 !== 0) throw new OpArgumentError("headers must be a flat list of names and values");
  for (let i = 0; i < flat.length; i += 2) {
    const name: unknown = flat[i];
    const value: unknown = flat[i + 1];
    if (typeof name !== "string" || !HEADER_NAME.test(name)) throw new OpArgumentError(`Invalid header name: ${JSON.stringify(name)}`);
    if (typeof value !== "string" || !HEADER_VALUE.test(value)) throw new OpArgumentError(`Invalid header value for ${name}`);
  }
  return flat as string[];
}
