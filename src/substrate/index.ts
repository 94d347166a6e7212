/** @module Public surface of the substrate: the interface, its errors and name rules. Backends live in their own folders. */
export * from "./types.js";
export { SubstrateError, SubstrateErrorCodes, type SubstrateErrorCode } from "./errors.js";
export { NameLimits, subjectMatches } from "./names.js";
