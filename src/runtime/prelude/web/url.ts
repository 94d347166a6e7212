/**
 * @module URL and URLSearchParams from whatwg-url (the spec's reference
 * implementation), URLPattern from urlpattern-polyfill.
 */
// @ts-expect-error whatwg-url ships no types; the classes are the standard ones.
import * as whatwgUrl from "whatwg-url";

export const URL = (whatwgUrl as { URL: typeof globalThis.URL }).URL;
export const URLSearchParams = (whatwgUrl as { URLSearchParams: typeof globalThis.URLSearchParams }).URLSearchParams;
export { URLPattern } from "urlpattern-polyfill/urlpattern";
