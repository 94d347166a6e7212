/** @module Types of `request.cf` (Cloudflare's field names and types) and of the lookup that builds it. */

/**
 * The `cf` object of an incoming request, as Workers see it. Location fields
 * are absent when the client address is not public or not in the database.
 * @example { colo: "london", country: "GB", continent: "EU", latitude: "51.40360", httpProtocol: "HTTP/1.1" }
 */
export interface IncomingRequestCf {
  colo: string;
  country?: string;
  city?: string;
  continent?: string;
  /** Decimal degrees as a string with 5 decimals, like Workers. */
  latitude?: string;
  longitude?: string;
  timezone?: string;
  postalCode?: string;
  region?: string;
  asn?: number;
  asOrganization?: string;
  clientTcpRtt?: number;
  httpProtocol: string;
  tlsVersion?: string;
}

/** What the PoP knows about the connection, copied into the `cf` object. */
export interface CfContext {
  colo: string;
  httpProtocol: string;
  tlsVersion?: string;
  clientTcpRtt?: number;
}

/** Builds `request.cf` for a client address. */
export interface CfLookup {
  /** Never throws; before `ready` settles it gives only the context fields. */
  lookup(clientIp: string, context: CfContext): IncomingRequestCf;
  /** Resolves once every database has loaded or failed to (it never rejects). */
  ready: Promise<void>;
}

/** The database files a lookup reads. */
export type CfDatabase = "cityIpv4" | "cityIpv6" | "asnIpv4" | "asnIpv6";

/** Options of `createCfLookup`. */
export interface CfLookupOptions {
  /** Paths of the database files; `null` leaves one out. Defaults come from the npm packages. */
  files?: Partial<Record<CfDatabase, string | null>>;
  /** Called once per database that cannot be loaded; defaults to `process.emitWarning`. */
  onWarning?: (message: string) => void;
}
