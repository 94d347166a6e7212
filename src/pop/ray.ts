/**
 * @module Ray ids: one per request, in every response and log line.
 */
import { randomBytes } from "node:crypto";

let counter = randomBytes(4).readUInt32BE(0);
const prefix = randomBytes(4).toString("hex");

/** 16 hex characters plus the PoP name, like Cloudflare's `8f2b…-NRT`. */
export function newRay(pop: string): string {
  counter = (counter + 1) >>> 0;
  return `${prefix}${counter.toString(16).padStart(8, "0")}-${pop}`;
}
