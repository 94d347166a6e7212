/** @module What the Cache API's ops carry across the isolate boundary. */

/** A stored response: status, status text, header pairs, body bytes. */
export type WireCachedResponse = [number, string, [string, string][], Uint8Array] | null;

/** The longest cache name `caches.open` takes. */
export const MAX_CACHE_NAME = 1024;
