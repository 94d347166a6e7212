/**
 * @module `locationHint` values: Cloudflare's region codes, each standing at
 * a representative place, or any region name of src/regions. An object with
 * a hint is created at the PoP nearest to that place.
 */
import { isRegionName, region } from "../../../regions/index.js";

/** Cloudflare's documented hints and where each is centred (latitude, longitude). */
const CLOUDFLARE_HINTS: Record<string, readonly [number, number]> = {
  wnam: [37.4, -122.1],
  enam: [39.0, -77.5],
  sam: [-23.5, -46.6],
  weur: [51.5, -0.1],
  eeur: [52.2, 21.0],
  apac: [1.35, 103.8],
  oc: [-33.9, 151.2],
  afr: [-26.2, 28.0],
  me: [25.2, 55.3],
};

/** Where a hint points, or a TypeError naming it. */
export function hintPosition(hint: string): readonly [number, number] {
  const cloudflare = Object.hasOwn(CLOUDFLARE_HINTS, hint) ? CLOUDFLARE_HINTS[hint] : undefined;
  if (cloudflare) return cloudflare;
  if (isRegionName(hint)) {
    const place = region(hint);
    return [place.latitude, place.longitude];
  }
  throw new TypeError(`Unknown locationHint ${JSON.stringify(hint)}: use one of ${Object.keys(CLOUDFLARE_HINTS).join(", ")} or a region name such as "tokyo"`);
}
