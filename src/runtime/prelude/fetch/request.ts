/**
 * @module Request (WHATWG Fetch), with Workers' `cf` property.
 */
import type { WireRequest } from "../../bridge/protocol.js";
import { importStream } from "../core/stream-table.js";
import { Body, extractBody, type BodySource } from "./body.js";
import { Headers, headersFromWire, setGuard } from "./headers.js";

const FORBIDDEN_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);
const NORMALIZED_METHODS = new Set(["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH"]);
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const REDIRECTS = ["follow", "error", "manual"];

function normalizeMethod(method: unknown): string {
  const text = String(method);
  if (!TOKEN.test(text)) throw new TypeError(`Invalid HTTP method: "${text}"`);
  const upper = text.toUpperCase();
  if (FORBIDDEN_METHODS.has(upper)) throw new TypeError(`Forbidden HTTP method: "${text}"`);
  return NORMALIZED_METHODS.has(upper) ? upper : text;
}

export interface RequestInitLike {
  method?: string;
  headers?: HeadersInit | Headers;
  body?: unknown;
  redirect?: string;
  signal?: AbortSignal | null;
  cf?: Record<string, unknown>;
  duplex?: string;
}

export class Request extends Body {
  readonly #method: string;
  readonly #url: string;
  readonly #headers: Headers;
  readonly #redirect: RequestRedirect;
  readonly #signal: AbortSignal;
  readonly #cf: Record<string, unknown> | undefined;

  constructor(input: string | URL | Request, init: RequestInitLike = {}) {
    super();
    const base = input instanceof Request ? input : null;
    let url: string;
    if (base) url = base.url;
    else {
      try {
        url = new URL(String(input)).href;
      } catch {
        throw new TypeError(`Invalid URL: "${String(input)}"`);
      }
    }
    this.#url = url;
    this.#method = init.method !== undefined ? normalizeMethod(init.method) : base?.method ?? "GET";
    this.#headers = new Headers(init.headers ?? base?.headers);
    setGuard(this.#headers, "request");
    const redirect = init.redirect ?? base?.redirect ?? "follow";
    if (!REDIRECTS.includes(redirect)) throw new TypeError(`Invalid redirect mode: "${redirect}"`);
    this.#redirect = redirect as RequestRedirect;
    this.#signal = init.signal ?? base?.signal ?? new AbortController().signal;
    this.#cf = init.cf ?? base?.cf;

    let source: BodySource = null;
    if (init.body !== undefined && init.body !== null) {
      if (this.#method === "GET" || this.#method === "HEAD") throw new TypeError(`Request with ${this.#method} method cannot have a body`);
      const extracted = extractBody(init.body);
      source = extracted.source;
      if (extracted.contentType && !this.#headers.has("content-type")) this.#headers.set("content-type", extracted.contentType);
    } else if (base && init.body === undefined) {
      if (base.bodyUsed) throw new TypeError("Cannot construct a Request with a Request whose body has already been used");
      source = base.takeBodyForReuse();
    }
    this.initBody(source);
  }

  protected get bodyHeaders(): Headers {
    return this.#headers;
  }

  /** Moves the body to a new Request made from this one (the spec marks this one used). */
  takeBodyForReuse(): BodySource {
    return this.takeSource();
  }

  /** The body for sending: inline bytes or a stream. */
  sendableBody(): BodySource {
    if (this.bodyUsed) throw new TypeError("Cannot send a Request whose body has already been used");
    return this.takeSource();
  }

  get method(): string {
    return this.#method;
  }
  get url(): string {
    return this.#url;
  }
  get headers(): Headers {
    return this.#headers;
  }
  get redirect(): RequestRedirect {
    return this.#redirect;
  }
  get signal(): AbortSignal {
    return this.#signal;
  }
  get cf(): Record<string, unknown> | undefined {
    return this.#cf;
  }
  get keepalive(): boolean {
    return false;
  }
  get integrity(): string {
    return "";
  }
  get cache(): string | undefined {
    return undefined;
  }

  clone(): Request {
    const second = this.teeSource();
    const copy = new Request(this.#url, { method: this.#method, headers: this.#headers, redirect: this.#redirect, signal: this.#signal, cf: this.#cf });
    copy.initBody(second);
    return copy;
  }

  get [Symbol.toStringTag](): string {
    return "Request";
  }
}

/** The Request a fetch event sees; its headers are immutable, as in Workers. */
export function requestFromWire(wire: WireRequest, signal: AbortSignal): Request {
  const request = new Request(wire.url, { method: wire.method, headers: headersFromWire(wire.headers, "none"), signal, cf: wire.cf });
  const body = wire.body;
  if (body && "bytes" in body) request.initBody(body.bytes);
  else if (body && "stream" in body) request.initBody(importStream(body.stream));
  setGuard(request.headers, "immutable");
  return request;
}
