/** @module Address and hostname classification for the SSRF guard (ipaddr.js ranges). */
import ipaddr from "ipaddr.js";
import type { EgressRefusalReason } from "./errors.js";

/** ipaddr.js range names → refusal reason; "unicast" is the only range let through. */
const RANGE_REASON: Record<string, EgressRefusalReason> = {
  loopback: "loopback",
  private: "private",
  uniqueLocal: "private",
  deprecatedSiteLocal: "private",
  linkLocal: "link-local",
  unspecified: "unspecified",
  carrierGradeNat: "carrier-grade-nat",
  multicast: "multicast",
  broadcast: "broadcast",
};

/** IPv6 ranges that carry an IPv4 address in their low 32 bits (NAT64, SIIT, IPv4-compatible). */
const EMBEDS_IPV4_LOW = new Set(["rfc6052", "rfc6145"]);

/** Hostnames of cloud metadata services that are refused by name, before DNS. */
const METADATA_HOSTS = new Set([
  "metadata.google.internal",
  "metadata.goog",
  "metadata",
  "instance-data",
  "instance-data.ec2.internal",
]);

/** Whether `host` (no brackets) is an IP literal in a form the URL parser would produce. */
export function isIpLiteral(host: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(host) || ipaddr.IPv6.isValid(host);
}

/**
 * Why an IP address may not be fetched, or `null` when it is public unicast.
 * IPv4-mapped, NAT64 (64:ff9b::/96), SIIT, 6to4 and IPv4-compatible (::/96)
 * forms are judged by the IPv4 address they carry.
 * @example refusalFor("::ffff:127.0.0.1") // "loopback"
 */
export function refusalFor(address: string): EgressRefusalReason | null {
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    addr = ipaddr.process(address.replace(/%.*$/, ""));
  } catch {
    return "reserved";
  }
  const range = addr.range();
  if (range === "unicast") {
    if (addr.kind() === "ipv6" && isIpv4Compatible(addr as ipaddr.IPv6)) return embedded(addr as ipaddr.IPv6, 6) ?? "reserved";
    return null;
  }
  if (EMBEDS_IPV4_LOW.has(range)) return embedded(addr as ipaddr.IPv6, 6);
  if (range === "6to4") return embedded(addr as ipaddr.IPv6, 1);
  return RANGE_REASON[range] ?? "reserved";
}

/** ::/96 (IPv4-compatible, deprecated); ::/128 and ::1 are caught by their own ranges first. */
function isIpv4Compatible(addr: ipaddr.IPv6): boolean {
  return addr.parts.slice(0, 6).every((p) => p === 0);
}

/** The refusal of the IPv4 address held in parts `at` and `at + 1` of an IPv6 address. */
function embedded(addr: ipaddr.IPv6, at: number): EgressRefusalReason | null {
  const hi = addr.parts[at];
  const lo = addr.parts[at + 1];
  return refusalFor(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
}

/**
 * Whether a hostname names a cloud metadata service (case and trailing dot ignored).
 * @example isMetadataHost("Metadata.Google.Internal.") // true
 */
export function isMetadataHost(hostname: string): boolean {
  return METADATA_HOSTS.has(hostname.toLowerCase().replace(/\.+$/, ""));
}
