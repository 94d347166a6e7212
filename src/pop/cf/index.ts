/** @module The `request.cf` object of a PoP: public surface. */
export { createCfLookup } from "./lookup.js";
export { continentOf, type ContinentCode } from "./continents.js";
export type { CfContext, CfDatabase, CfLookup, CfLookupOptions, IncomingRequestCf } from "./types.js";
