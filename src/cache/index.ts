/** @module The PoP's HTTP cache: the public surface. */
export { PopCache, DEFAULT_CACHE_BYTES, type CacheStatus, type PopCacheOptions } from "./pop-cache.js";
export { CachedFetch } from "./cached-fetch.js";
export { cfCacheOptions, type CfCacheOptions } from "./cf-options.js";
export { parsePurge, PurgeInputError, type Purge } from "./purge.js";
export { publishPurge, PURGE_STREAM, PURGE_SUBJECT, type PurgeFeedOptions } from "./purge-feed.js";
export type { CacheScope, CacheEntry } from "./store.js";
