/** @module The shapes KV read ops return to the shim (shared by both sides; types only). */

/** An entry: [value, metadata JSON or null], or null when the key is absent. */
export type WireEntry = [Uint8Array, string | null] | null;

/** A listing: [[name, expiration, metadata JSON][], complete, cursor]. */
export type WireList = [[string, number | null, string | null][], boolean, string | null];
