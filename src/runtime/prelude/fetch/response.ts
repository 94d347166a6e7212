/**
 * @module Response (WHATWG Fetch), with Workers' `webSocket` (a 101 Response carries one).
 */
import { parseHref } from "../web/url.js";
import { isWebSocket } from "../web/websocket.js";
import { Body, extractBody, type BodySource } from "./body.js";
import { Headers, guardOf, setGuard } from "./headers.js";

const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);
const REASON = /^[\t\x20-\x7e\x80-\xff]*$/;

export interface ResponseInitLike {
  status?: number;
  statusText?: string;
  headers?: HeadersInit | Headers;
  webSocket?: unknown;
}

interface ResponseState {
  type: ResponseType;
  url: string;
  redirected: boolean;
}

/** Response: status, headers and a body; `Response.json`, `redirect` and `error`. */
export class Response extends Body {
  readonly #status: number;
  readonly #statusText: string;
  readonly #headers: Headers;
  readonly #webSocket: unknown;
  #state: ResponseState = { type: "default", url: "", redirected: false };

  constructor(body: unknown = null, init: ResponseInitLike = {}) {
    super();
    if (init === null || typeof init !== "object") init = {};
    const status = init.status === undefined ? 200 : Number(init.status);
    const webSocket = init.webSocket ?? null;
    if (webSocket !== null && !isWebSocket(webSocket)) throw new TypeError(`webSocket must be a WebSocket: received ${Object.prototype.toString.call(webSocket)}`);
    if (webSocket !== null && status !== 101) throw new RangeError(`A Response with a webSocket must have status 101: received ${status}`);
    if (status === 101 && webSocket === null) throw new RangeError("A Response with status 101 must have a webSocket: received status 101 and no webSocket");
    if (!Number.isInteger(status) || ((status < 200 || status > 599) && !(status === 101 && webSocket))) {
      throw new RangeError(`Responses may only be constructed with status codes in the range 200 to 599, inclusive: received ${init.status}`);
    }
    const statusText = init.statusText === undefined ? "" : String(init.statusText);
    if (!REASON.test(statusText)) throw new TypeError(`Invalid statusText: "${statusText}"`);
    this.#status = status;
    this.#statusText = statusText;
    this.#webSocket = webSocket;
    this.#headers = setGuard(new Headers(init.headers), "response");
    let source: BodySource = null;
    if (body !== null && body !== undefined) {
      if (NULL_BODY_STATUS.has(status)) throw new TypeError(`Response with null body status ${status} cannot have a body`);
      const extracted = extractBody(body);
      source = extracted.source;
      if (extracted.contentType && !this.#headers.has("content-type")) this.#headers.set("content-type", extracted.contentType);
    }
    this.initBody(source);
  }

  static json(data: unknown, init: ResponseInitLike = {}): Response {
    const text = JSON.stringify(data);
    if (text === undefined) throw new TypeError("Response.json: the value cannot be converted to JSON");
    const headers = new Headers(init.headers);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
    return new Response(text, { ...init, headers });
  }

  static redirect(url: string | URL, status = 302): Response {
    let location: string;
    try {
      location = parseHref(String(url));
    } catch {
      throw new TypeError(`Invalid URL for Response.redirect(): ${JSON.stringify(String(url))} (it must be absolute)`);
    }
    if (!REDIRECT_STATUS.has(status)) throw new RangeError(`Invalid redirect status: ${status} (expected 301, 302, 303, 307 or 308)`);
    const response = new Response(null, { status, headers: { location } });
    setGuard(response.headers, "immutable");
    return response;
  }

  static error(): Response {
    const response = new Response(null, { status: 200 });
    response.#state = { type: "error", url: "", redirected: false };
    setGuard(response.headers, "immutable");
    return response;
  }

  protected get bodyHeaders(): Headers {
    return this.#headers;
  }

  /** Moves the body out to send it (to the client); this Response's body is used afterwards. */
  sendableBody(): BodySource {
    return this.takeBody("Sending a Response");
  }

  /** Marks a response as fetched from `url` (used by fetch()). */
  setFetched(url: string, redirected: boolean): this {
    this.#state = { type: "basic", url, redirected };
    return this;
  }

  get status(): number {
    return this.#state.type === "error" ? 0 : this.#status;
  }
  get statusText(): string {
    return this.#statusText;
  }
  get ok(): boolean {
    return this.status >= 200 && this.status <= 299;
  }
  get headers(): Headers {
    return this.#headers;
  }
  get type(): ResponseType {
    return this.#state.type;
  }
  get url(): string {
    return this.#state.url;
  }
  get redirected(): boolean {
    return this.#state.redirected;
  }
  get webSocket(): unknown {
    return this.#webSocket;
  }

  clone(): Response {
    if (this.#webSocket) throw new TypeError("Cannot clone a Response that has a webSocket");
    const second = this.teeBody("Response.clone()");
    const copy = new Response(null, { status: this.#status, statusText: this.#statusText, headers: this.#headers });
    copy.initBody(second);
    copy.#state = { ...this.#state };
    setGuard(copy.#headers, guardOf(this.#headers));
    return copy;
  }

  get [Symbol.toStringTag](): string {
    return "Response";
  }
}
