/** @module Client address parsing for `request.cf`: public unicast addresses only, as text and as uint32 words. */
import ipaddr from "ipaddr.js";

/** A public client address ready for the geo and ASN tables. */
export interface PublicAddress {
  family: 4 | 6;
  /** Canonical text (IPv4-mapped IPv6 becomes plain IPv4). */
  text: string;
  /** Big-endian uint32 words: 1 for IPv4, 4 for IPv6. */
  words: Uint32Array;
}

/**
 * Parse a client address; `null` for loopback, private, link-local, reserved
 * or unparseable input (such clients get no location).
 * @example publicAddress("::ffff:8.8.8.8") // { family: 4, text: "8.8.8.8", words: [0x08080808] }
 */
export function publicAddress(input: string): PublicAddress | null {
  const bare = input.startsWith("[") && input.endsWith("]") ? input.slice(1, -1) : input;
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  if (ipaddr.IPv4.isValidFourPartDecimal(bare)) addr = ipaddr.IPv4.parse(bare);
  else if (ipaddr.IPv6.isValid(bare)) addr = ipaddr.process(bare);
  else return null;
  if (addr.range() !== "unicast") return null;
  if (addr.kind() === "ipv4") {
    const o = (addr as ipaddr.IPv4).octets;
    const word = ((o[0] << 24) | (o[1] << 16) | (o[2] << 8) | o[3]) >>> 0;
    return { family: 4, text: addr.toString(), words: Uint32Array.of(word) };
  }
  const p = (addr as ipaddr.IPv6).parts;
  const words = new Uint32Array(4);
  for (let i = 0; i < 4; i++) words[i] = ((p[2 * i] << 16) | p[2 * i + 1]) >>> 0;
  return { family: 6, text: addr.toString(), words };
}
