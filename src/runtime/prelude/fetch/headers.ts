/**
 * @module Headers (WHATWG Fetch): validated names and values, a guard, combined
 * values except for Set-Cookie, `getSetCookie()`, sorted iteration.
 */
import type { WireHeaders } from "../../bridge/protocol.js";

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** NUL, CR, LF, or anything that is not a byte (the value is a ByteString). */
const INVALID_VALUE = /[\0\r\n\u0100-\uffff]/;
const EDGE_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;

export type HeadersGuard = "none" | "request" | "response" | "immutable";

function normalizeName(name: unknown): string {
  const text = String(name);
  if (!TOKEN.test(text)) throw new TypeError(`Invalid header name: ${JSON.stringify(text)}`);
  return text.toLowerCase();
}

function normalizeValue(name: string, value: unknown): string {
  const text = String(value).replace(EDGE_WHITESPACE, "");
  if (INVALID_VALUE.test(text)) throw new TypeError(`Invalid header value for "${name}": ${JSON.stringify(text)}`);
  return text;
}

const guards = new WeakMap<Headers, HeadersGuard>();
/** Fills Headers from trusted flat pairs (the host's HTTP parser), skipping validation; set in the class's static block. */
let fillTrusted: (headers: Headers, flat: readonly string[], from: number) => void;

export class Headers {
  /** name → values in insertion order; names lower-cased. */
  #map = new Map<string, string[]>();

  constructor(init?: HeadersInit | Headers) {
    if (init === undefined || init === null) return;
    if (init instanceof Headers) {
      for (const [name, values] of init.#map) this.#map.set(name, [...values]);
    } else if (typeof init === "object" && typeof (init as Iterable<unknown>)[Symbol.iterator] === "function") {
      for (const pair of init as Iterable<unknown>) {
        const items = [...(pair as Iterable<unknown>)];
        if (items.length !== 2) throw new TypeError(`Headers constructor: expected a name/value pair: received ${items.length} items`);
        this.append(items[0] as string, items[1] as string);
      }
    } else if (typeof init === "object") {
      for (const name of Object.keys(init)) this.append(name, (init as Record<string, string>)[name]);
    } else {
      throw new TypeError("Headers constructor: init must be an object, an iterable of pairs or a Headers");
    }
  }

  static {
    fillTrusted = (headers, flat, from) => {
      const map = headers.#map;
      for (let i = from; i + 1 < flat.length; i += 2) {
        const values = map.get(flat[i]);
        if (values) values.push(flat[i + 1]);
        else map.set(flat[i], [flat[i + 1]]);
      }
    };
  }

  #check(): void {
    if (guards.get(this) === "immutable") throw new TypeError("Can't modify immutable headers: these Headers belong to an incoming request, a fetched response or a redirect; copy them with new Headers(headers)");
  }

  append(name: string, value: string): void {
    const key = normalizeName(name);
    const text = normalizeValue(key, value);
    this.#check();
    const values = this.#map.get(key);
    if (values) values.push(text);
    else this.#map.set(key, [text]);
  }

  set(name: string, value: string): void {
    const key = normalizeName(name);
    const text = normalizeValue(key, value);
    this.#check();
    this.#map.set(key, [text]);
  }

  delete(name: string): void {
    const key = normalizeName(name);
    this.#check();
    this.#map.delete(key);
  }

  get(name: string): string | null {
    const values = this.#map.get(normalizeName(name));
    if (!values) return null;
    return values.join(", ");
  }

  getAll(name: string): string[] {
    const key = normalizeName(name);
    if (key !== "set-cookie") throw new TypeError(`Headers.getAll() only supports Set-Cookie: received "${name}"`);
    return this.getSetCookie();
  }

  getSetCookie(): string[] {
    return [...(this.#map.get("set-cookie") ?? [])];
  }

  has(name: string): boolean {
    return this.#map.has(normalizeName(name));
  }

  forEach(callback: (value: string, name: string, headers: Headers) => void, thisArg?: unknown): void {
    for (const [name, value] of this.entries()) callback.call(thisArg, value, name, this);
  }

  *entries(): IterableIterator<[string, string]> {
    for (const name of [...this.#map.keys()].sort()) {
      const values = this.#map.get(name);
      if (!values) continue;
      if (name === "set-cookie") for (const value of values) yield [name, value];
      else yield [name, values.join(", ")];
    }
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return "Headers";
  }
}

/** The guard of `headers` ("none" unless set). */
export function guardOf(headers: Headers): HeadersGuard {
  return guards.get(headers) ?? "none";
}

/** Sets the guard of `headers`; "immutable" makes every change a TypeError. */
export function setGuard(headers: Headers, guard: HeadersGuard): Headers {
  guards.set(headers, guard);
  return headers;
}

/** Headers from a flat `[name, value, …]` list starting at `from`, already valid (from the host). */
export function headersFromFlat(flat: readonly string[], from: number, guard: HeadersGuard): Headers {
  const headers = new Headers();
  fillTrusted(headers, flat, from);
  return setGuard(headers, guard);
}

/** A flat `[name, value, …]` list from Headers, every Set-Cookie kept apart. */
export function headersToFlat(headers: Headers): string[] {
  const flat: string[] = [];
  let i = 0;
  for (const [name, value] of headers.entries()) {
    flat[i++] = name;
    flat[i++] = value;
  }
  return flat;
}

/** Wire pairs from Headers, every Set-Cookie kept apart. */
export function headersToWire(headers: Headers): WireHeaders {
  return [...headers.entries()];
}
