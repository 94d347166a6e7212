/**
 * @module IDNA for the isolate's URL parser: UTS #46 domain mapping by Node.
 */
import { domainToASCII, domainToUnicode } from "node:url";
import { Op } from "../bridge/protocol.js";
import { expectString, type OpTable } from "../ops.js";

const MAX_DOMAIN = 4096;

export const urlOps: OpTable = {
  [Op.DomainToAscii](_context, [domain]) {
    return domainToASCII(expectString(domain, "domain").slice(0, MAX_DOMAIN));
  },
  [Op.DomainToUnicode](_context, [domain]) {
    return domainToUnicode(expectString(domain, "domain").slice(0, MAX_DOMAIN));
  },
};
