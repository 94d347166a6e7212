/** @module Dev-only latency simulation: `x-verge-client-region` makes a PoP answer as late as a client in that region would see it. */
import { setTimeout as sleep } from "node:timers/promises";
import { clientRttMs, isRegionName, REGION_NAMES } from "../regions/index.js";

/** The request header naming the region a simulated client stands in. */
export const CLIENT_REGION_HEADER = "x-verge-client-region";

/** The delay to add before answering, or the reason the header is refused (a 400). */
export type ClientLatency = { ms: number } | { error: string };

/**
 * The model's round trip between a client in the region named by `header` and
 * a PoP in `popRegion` (none: a PoP outside the regions table adds nothing).
 * No header: no delay.
 *
 * @example clientLatency("tokyo", "virginia") // { ms: 174 }
 */
export function clientLatency(header: string | string[] | undefined, popRegion: string | undefined): ClientLatency {
  if (header === undefined) return { ms: 0 };
  const value = Array.isArray(header) ? header.join(", ") : header.trim();
  if (!isRegionName(value)) {
    return { error: `Unknown region in ${CLIENT_REGION_HEADER}: received "${value}"; expected one of ${REGION_NAMES.join(", ")}` };
  }
  return { ms: popRegion === undefined ? 0 : clientRttMs(value, popRegion) };
}

/** Waits `ms` without blocking anything else (a timer, not a busy loop); resolves at once for 0. */
export async function delayResponse(ms: number): Promise<void> {
  if (ms > 0) await sleep(ms);
}
