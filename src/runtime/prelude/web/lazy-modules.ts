/**
 * @module Libraries loaded on first use. Evaluating whatwg-url (~2.4 ms) and
 * fflate (~3 ms, its tables) at isolate start-up would triple the cost of
 * every cold isolate; most workers never construct a URL or a
 * CompressionStream. esbuild bundles each `require` below and runs the module
 * only when the call is first made.
 */
declare const require: (id: string) => unknown;

export interface UrlModule {
  URL: typeof globalThis.URL;
  URLSearchParams: typeof globalThis.URLSearchParams;
}

let url: UrlModule | null = null;
type URLPatternClass = typeof import("urlpattern-polyfill/urlpattern").URLPattern;

let pattern: URLPatternClass | null = null;
let fflate: typeof import("fflate") | null = null;

export function urlModule(): UrlModule {
  return (url ??= require("whatwg-url") as UrlModule);
}

/** True for a URLSearchParams, without loading whatwg-url (none can exist before it loads). */
export function isURLSearchParams(value: unknown): boolean {
  return url !== null && value instanceof url.URLSearchParams;
}

export function urlPatternClass(): URLPatternClass {
  return (pattern ??= (require("urlpattern-polyfill/urlpattern") as { URLPattern: URLPatternClass }).URLPattern);
}

export function fflateModule(): typeof import("fflate") {
  return (fflate ??= require("fflate") as typeof import("fflate"));
}
