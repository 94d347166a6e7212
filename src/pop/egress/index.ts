/** @module Outgoing fetch of workers behind the SSRF guard: public surface. */
export { createEgress } from "./egress.js";
export { EgressRefused, type EgressRefusalReason } from "./errors.js";
export { refusalFor, isMetadataHost } from "./classify.js";
export type { EgressBody } from "./body.js";
export type { Egress, EgressOptions, EgressRequest, EgressResponse } from "./types.js";
