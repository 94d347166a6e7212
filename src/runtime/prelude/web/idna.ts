/**
 * @module The `tr46` module as whatwg-url calls it, answered by the host's
 * UTS #46 implementation (Node's url.domainToASCII). Bundling tr46's mapping
 * tables would add ~240 KB to every isolate; ASCII domains, the common case,
 * never leave the isolate.
 */
import { Op } from "../../bridge/protocol.js";
import { opSync } from "../core/bridge.js";

const PLAIN_ASCII = /^[\x21-\x7e]*$/;

export function toASCII(domain: string): string | null {
  if (PLAIN_ASCII.test(domain) && !/(^|\.)xn--/i.test(domain)) return domain.toLowerCase();
  const ascii = opSync<string>(Op.DomainToAscii, domain);
  return ascii === "" ? null : ascii;
}

export function toUnicode(domain: string): { domain: string; error: boolean } {
  if (!/(^|\.)xn--/i.test(domain)) return { domain, error: false };
  const unicode = opSync<string>(Op.DomainToUnicode, domain);
  return { domain: unicode, error: unicode === "" };
}
