/**
 * @module Request (WHATWG Fetch), with Workers' `cf` property.
 */
import type { IncomingBody, IncomingMeta } from "../../bridge/protocol.js";
import { jsonParse } from "../core/primordials.js";
import { parseHref } from "../web/url.js";
import { importStream } from "../core/stream-table.js";
import { Body, extractBody, type BodySource } from "./body.js";
import { Headers, guardOf, headersFromFlat, setGuard } from "./headers.js";

const FORBIDDEN_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const REDIRECTS = ["follow", "error", "manual"];

/**
 * Passed as `input` to build the incoming request from trusted host data
 * (`incomingMeta`): no URL re-parse, headers built on first use, `cf` parsed
 * on first use. Module-private, so tenant code cannot take this path.
 */
const INCOMING = Symbol("incoming");
let incomingMeta: { meta: IncomingMeta; signal: AbortSignal } | null = null;

function normalizeMethod(method: unknown): string {
  const text = String(method);
  if (!TOKEN.test(text)) throw new TypeError(`Invalid HTTP method: ${JSON.stringify(text)}`);
  const upper = text.toUpperCase();
  if (FORBIDDEN_METHODS.has(upper)) throw new TypeError(`Forbidden HTTP method: "${text}"`);
  // Every method is upper-cased, as Workers does since 2024-10-14 (`upper_case_all_http_methods`);
  // the Fetch standard upper-cases only DELETE, GET, HEAD, OPTIONS, POST and PUT, so "patch" would stay "patch".
  return upper;
}

function parseUrl(input: unknown): string {
  try {
    return parseHref(String(input));
  } catch {
    throw new TypeError(`Invalid URL: ${JSON.stringify(String(input))}`);
  }
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

/** Request: method, URL, headers, body, redirect mode, signal and `cf`. */
export class Request extends Body {
  readonly #method: string;
  readonly #url: string;
  #headers: Headers | null;
  readonly #redirect: RequestRedirect;
  readonly #signal: AbortSignal;
  #cf: Record<string, unknown> | undefined;
  /** The incoming request's meta, until its headers and cf are first read. */
  #meta: IncomingMeta | null = null;

  constructor(input: string | URL | Request, init: RequestInitLike = {}) {
    super();
    if ((input as unknown) === INCOMING && incomingMeta) {
      const { meta, signal } = incomingMeta;
      incomingMeta = null;
      // The client's method is delivered as it came, even TRACE.
      this.#method = meta[0];
      this.#url = meta[1];
      this.#meta = meta;
      this.#headers = null;
      this.#redirect = "manual";
      this.#signal = signal;
      this.#cf = undefined;
      return;
    }
    if (init === null || typeof init !== "object") init = {};
    const base = input instanceof Request ? input : null;
    this.#url = base ? base.url : parseUrl(input);
    this.#method = init.method !== undefined ? normalizeMethod(init.method) : base?.method ?? "GET";
    this.#headers = setGuard(new Headers(init.headers ?? base?.headers), "request");
    const redirect = init.redirect ?? base?.redirect ?? "follow";
    if (!REDIRECTS.includes(redirect)) throw new TypeError(`Invalid redirect mode: "${redirect}" (expected "follow", "manual" or "error")`);
    this.#redirect = redirect as RequestRedirect;
    this.#signal = init.signal ?? base?.signal ?? new AbortController().signal;
    this.#cf = init.cf ?? base?.cf;

    // `new Request(url, request)`: the other Request's body moves over as it is (inline bytes stay inline).
    const initRequest = init instanceof Request ? init : null;
    const hasInitBody = initRequest ? initRequest.hasBody() : init.body !== undefined && init.body !== null;
    if ((hasInitBody || (base !== null && base.hasBody())) && (this.#method === "GET" || this.#method === "HEAD")) {
      throw new TypeError(`Request with ${this.#method} method cannot have a body`);
    }
    let source: BodySource = null;
    if (initRequest && hasInitBody) {
      source = initRequest.takeBody("new Request()");
    } else if (hasInitBody) {
      const extracted = extractBody(init.body);
      source = extracted.source;
      if (extracted.contentType && !this.#headers.has("content-type")) this.#headers.set("content-type", extracted.contentType);
    } else if (base?.hasBody()) {
      if (base.bodyUsed) throw new TypeError("Cannot construct a Request with a Request whose body has already been used");
      source = base.takeBody("new Request()");
    }
    this.initBody(source);
  }

  protected get bodyHeaders(): Headers {
    return this.headers;
  }

  /** Moves the body out to send it (fetch()); this Request's body is used afterwards. */
  sendableBody(): BodySource {
    return this.takeBody("fetch()");
  }

  get method(): string {
    return this.#method;
  }
  get url(): string {
    return this.#url;
  }
  get headers(): Headers {
    if (this.#headers === null) this.#headers = headersFromFlat(this.#meta!, 3, "immutable");
    return this.#headers;
  }
  get redirect(): RequestRedirect {
    return this.#redirect;
  }
  get signal(): AbortSignal {
    return this.#signal;
  }
  get cf(): Record<string, unknown> | undefined {
    if (this.#cf === undefined && this.#meta !== null && this.#meta[2] !== "") this.#cf = jsonParse(this.#meta[2]) as Record<string, unknown>;
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
    const second = this.teeBody("Request.clone()");
    const copy = new Request(this.#url, { method: this.#method, headers: this.headers, redirect: this.#redirect, signal: this.#signal, cf: this.cf });
    copy.initBody(second);
    setGuard(copy.headers, guardOf(this.headers));
    return copy;
  }

  get [Symbol.toStringTag](): string {
    return "Request";
  }
}

/** The Request a fetch event sees; its headers are immutable, as in Workers. */
export function incomingRequest(metaJson: string, body: IncomingBody, signal: AbortSignal): Request {
  incomingMeta = { meta: jsonParse(metaJson) as IncomingMeta, signal };
  const request = new Request(INCOMING as unknown as string);
  if (body instanceof Uint8Array) request.initBody(body);
  else if (typeof body === "number") request.initBody(importStream(body));
  return request;
}
