/**
 * @module The latency model: one-way and round-trip times between regions,
 * from measured seed figures where we have them and from distance otherwise.
 */
import { greatCircleKm } from "./geo.js";
import { region } from "./lookup.js";
import { REGION_NAMES } from "./table.js";

/** The constants of the distance-derived estimate, written once. */
export const LatencyModel = {
  /** Light in optical fibre covers about 200 km per millisecond (refractive index ≈ 1.5). */
  FIBRE_KM_PER_MS: 200,
  /** Real routes are longer than the great circle (cable paths, peering detours). */
  ROUTE_FACTOR: 1.6,
  /** Added to every one-way time between two distinct regions: switching, queuing, the hops inside each end. */
  BASE_ONE_WAY_MS: 1,
  /** Round trip from a user to a PoP in its own metro area; the DESIGN.md range is 2 to 10 ms. */
  LAST_MILE_RTT_MS: 4,
} as const;

/**
 * Measured round-trip times in ms between pairs of regions (either order).
 * These win over the distance estimate. Add a pair here when you have a
 * measured figure for it; keep the source in the comment.
 */
export const SEED_RTT_MS: readonly (readonly [string, string, number])[] = [
  ["tokyo", "virginia", 170], // DESIGN.md: Tokyo ↔ us-east-1 about 170 ms
  ["london", "virginia", 80], // DESIGN.md: London ↔ us-east-1 about 80 ms
];

/** One-way time estimated from great-circle distance alone. */
export function estimateOneWayMs(km: number): number {
  return (km * LatencyModel.ROUTE_FACTOR) / LatencyModel.FIBRE_KM_PER_MS + LatencyModel.BASE_ONE_WAY_MS;
}

const pairKey = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`);

/** The whole table, built once: one-way ms per unordered pair. */
const table = ((): Map<string, number> => {
  const oneWay = new Map<string, number>();
  for (const a of REGION_NAMES) {
    for (const b of REGION_NAMES) {
      if (a >= b) continue;
      const [ra, rb] = [region(a), region(b)];
      const km = greatCircleKm(ra.latitude, ra.longitude, rb.latitude, rb.longitude);
      oneWay.set(pairKey(a, b), estimateOneWayMs(km));
    }
  }
  for (const [a, b, rtt] of SEED_RTT_MS) oneWay.set(pairKey(region(a).name, region(b).name), rtt / 2);
  return oneWay;
})();

/**
 * One-way network time in ms from region `a` to region `b` (symmetric; 0 when
 * they are the same region).
 *
 * @throws VergeError `unknown_region` for a name not in the table.
 * @example oneWayMs("tokyo", "virginia") // 85
 */
export function oneWayMs(a: string, b: string): number {
  const [ra, rb] = [region(a), region(b)];
  if (ra.name === rb.name) return 0;
  return table.get(pairKey(ra.name, rb.name)) as number;
}

/**
 * Round-trip time in ms between two regions.
 *
 * @example rttMs("london", "virginia") // 80
 */
export function rttMs(a: string, b: string): number {
  return 2 * oneWayMs(a, b);
}

/**
 * Round trip in ms from a user in region `client` to the PoP in region `pop`:
 * the last mile plus the round trip between the two regions. A user at its
 * own region's PoP pays only the last mile.
 *
 * @example clientRttMs("tokyo", "tokyo") // 4
 */
export function clientRttMs(client: string, pop: string): number {
  return LatencyModel.LAST_MILE_RTT_MS + rttMs(client, pop);
}
