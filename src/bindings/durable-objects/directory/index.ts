/**
 * @module Public surface of the Durable Objects directory: which PoP owns
 * each object, claimed with compare-and-set and kept with a lease.
 */
export { Directory, type ClaimOptions, type DirectoryOptions, type DirectoryStats, type LookupOptions } from "./directory.js";
export { DirectoryError, DirectoryErrorCodes, type DirectoryErrorCode } from "./errors.js";
export { DirectoryLimits, bucketKey, objectOf, type ObjectKey } from "./keys.js";
export { Lease, type KeepOptions } from "./lease.js";
export type { Ownership } from "./record.js";
