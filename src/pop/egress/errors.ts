/** @module `EgressRefused`: the error of an outgoing fetch the SSRF guard would not let through. */

/** Why a fetch was refused: an address class, a metadata hostname, or a scheme. */
export type EgressRefusalReason =
  | "loopback"
  | "private"
  | "link-local"
  | "unspecified"
  | "carrier-grade-nat"
  | "multicast"
  | "broadcast"
  | "reserved"
  | "metadata-host"
  | "scheme";

/** How each address reason reads in a message: "address 10.0.0.1 is <description>". */
const DESCRIPTION: Record<EgressRefusalReason, string> = {
  loopback: "loopback",
  private: "private",
  "link-local": "link-local (this includes cloud metadata services)",
  unspecified: "unspecified",
  "carrier-grade-nat": "carrier-grade NAT (shared address space)",
  multicast: "multicast",
  broadcast: "broadcast",
  reserved: "reserved",
  "metadata-host": "a cloud metadata service",
  scheme: "not http: or https:",
};

const HINT = "(start the PoP with --allow-local-fetch to allow local addresses)";

function describe(url: string, address: string | null, reason: EgressRefusalReason): string {
  if (reason === "scheme") {
    const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? url;
    return `fetch to ${url} refused: scheme "${scheme}" is not supported (only http: and https:)`;
  }
  if (reason === "metadata-host") return `fetch to ${url} refused: host ${address} is ${DESCRIPTION[reason]}`;
  return `fetch to ${url} refused: address ${address} is ${DESCRIPTION[reason]} ${HINT}`;
}

/**
 * A fetch the SSRF guard refused, before any connection to the refused address.
 * `address` is the resolved address (or the hostname for `metadata-host`, `null` for `scheme`).
 * @example
 * // fetch to http://localhost:8080/ refused: address 127.0.0.1 is loopback (start the PoP with --allow-local-fetch ...)
 * err instanceof EgressRefused && err.reason === "loopback"
 */
export class EgressRefused extends Error {
  override readonly name = "EgressRefused";
  readonly code = "egress_refused";
  constructor(
    readonly url: string,
    readonly address: string | null,
    readonly reason: EgressRefusalReason,
    options?: { cause?: unknown },
  ) {
    super(describe(url, address, reason), options);
  }
}
