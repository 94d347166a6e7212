/** @module Finding regions by name and by position. */
import { VergeError } from "../errors.js";
import { greatCircleKm } from "./geo.js";
import { REGION_NAMES, REGIONS, type Region, type RegionName } from "./table.js";

const byName = new Map<string, Region>(REGION_NAMES.map((name) => [name, { name, ...REGIONS[name] }]));

/** True when `name` is a known region. */
export function isRegionName(name: string): name is RegionName {
  return byName.has(name);
}

/**
 * The region called `name`.
 *
 * @throws VergeError `unknown_region` naming the value and listing the valid names.
 * @example region("tokyo").cloud // "aws:ap-northeast-1"
 */
export function region(name: string): Region {
  const found = byName.get(name);
  if (found) return found;
  throw new VergeError("unknown_region", `Unknown region: received "${name}"; expected one of ${REGION_NAMES.join(", ")}`);
}

/** Every region, in table order. */
export function regions(): Region[] {
  return [...byName.values()];
}

/**
 * The region nearest to a position by great-circle distance, out of `among`
 * (default: every region), e.g. the PoP a user at that position would reach.
 *
 * @example nearest(34.69, 135.5).name // "tokyo" (Osaka)
 */
export function nearest(latitude: number, longitude: number, among: readonly string[] = REGION_NAMES): Region {
  if (among.length === 0) throw new RangeError("nearest() needs at least one region to choose from");
  let best: Region | undefined;
  let bestKm = Infinity;
  for (const name of among) {
    const candidate = region(name);
    const km = greatCircleKm(latitude, longitude, candidate.latitude, candidate.longitude);
    if (km < bestKm) [best, bestKm] = [candidate, km];
  }
  return best as Region;
}
