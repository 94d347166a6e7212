/** @module Public surface of the regions table and the latency model. */
export { REGIONS, REGION_NAMES, type Region, type RegionName } from "./table.js";
export { isRegionName, nearest, region, regions } from "./lookup.js";
export { LatencyModel, SEED_RTT_MS, clientRttMs, estimateOneWayMs, oneWayMs, rttMs } from "./latency.js";
export { greatCircleKm } from "./geo.js";
