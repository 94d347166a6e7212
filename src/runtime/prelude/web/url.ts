/**
 * @module URL and URLSearchParams from whatwg-url (the spec's reference
 * implementation), URLPattern from urlpattern-polyfill, all loaded on first
 * use (see lazy-modules.ts).
 */
import { urlModule, urlPatternClass } from "./lazy-modules.js";

export { isURLSearchParams } from "./lazy-modules.js";

/** Parses `input` and returns its serialization; throws the URL parser's TypeError. */
export function parseHref(input: string, base?: string): string {
  const { URL } = urlModule();
  return new URL(input, base).href;
}

export function newURLSearchParams(init: string): URLSearchParams {
  return new (urlModule().URLSearchParams)(init);
}

/** Globals defined on first access: the name and how to load the value. */
export const lazyUrlGlobals: Record<string, () => unknown> = {
  URL: () => urlModule().URL,
  URLSearchParams: () => urlModule().URLSearchParams,
  URLPattern: urlPatternClass,
};
