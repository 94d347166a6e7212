/** @module `createCfLookup`: builds `request.cf` from the client address, the geo database and the ASN table. */
import { publicAddress } from "./address.js";
import { lookupAsn } from "./asn.js";
import { continentOf } from "./continents.js";
import { loadDatabases, type Databases } from "./databases.js";
import type { GeoRecord } from "./geo.js";
import type { CfContext, CfLookup, CfLookupOptions, IncomingRequestCf } from "./types.js";

/**
 * Create a lookup. Databases load asynchronously (await `ready`), once per
 * process however many lookups are created.
 * @example
 * const cf = createCfLookup();
 * await cf.ready;
 * cf.lookup("81.2.69.160", { colo: "london", httpProtocol: "HTTP/1.1" }).country // "GB"
 */
export function createCfLookup(options: CfLookupOptions = {}): CfLookup {
  let dbs: Databases | null = null;
  const onWarning = options.onWarning ?? ((message: string) => process.emitWarning(message));
  const ready = loadDatabases(options.files ?? {}, onWarning).then((loaded) => {
    dbs = loaded;
  });
  return {
    ready,
    lookup(clientIp: string, context: CfContext): IncomingRequestCf {
      const cf: IncomingRequestCf = { colo: context.colo, httpProtocol: context.httpProtocol };
      if (context.tlsVersion !== undefined) cf.tlsVersion = context.tlsVersion;
      if (context.clientTcpRtt !== undefined) cf.clientTcpRtt = context.clientTcpRtt;
      const addr = dbs ? publicAddress(clientIp) : null;
      if (!dbs || !addr) return cf;
      const geo = addr.family === 4 ? dbs.cityIpv4 : dbs.cityIpv6;
      const record = geo?.get(addr.text);
      if (record) applyGeo(cf, record);
      const asns = addr.family === 4 ? dbs.asnIpv4 : dbs.asnIpv6;
      const entry = asns ? lookupAsn(asns, addr.words) : null;
      if (entry) {
        cf.asn = entry.asn;
        if (entry.organization) cf.asOrganization = entry.organization;
      }
      return cf;
    },
  };
}

/** Copy the known fields of a geo record into `cf`, leaving unknown ones absent. */
function applyGeo(cf: IncomingRequestCf, r: GeoRecord): void {
  if (r.country_code) {
    cf.country = r.country_code;
    const continent = continentOf(r.country_code);
    if (continent) cf.continent = continent;
  }
  if (r.city) cf.city = r.city;
  if (r.state1) cf.region = r.state1;
  if (r.postcode) cf.postalCode = r.postcode;
  if (r.timezone) cf.timezone = r.timezone;
  if (typeof r.latitude === "number" && typeof r.longitude === "number") {
    cf.latitude = r.latitude.toFixed(5);
    cf.longitude = r.longitude.toFixed(5);
  }
}
