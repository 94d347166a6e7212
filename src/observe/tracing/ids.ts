/**
 * @module Trace and span ids: random, lower-case hex, never all zeros. Random
 * bytes are drawn in blocks, so an id costs a slice of a buffer rather than a
 * call into the system's random source.
 */
import { randomFillSync } from "node:crypto";

const BLOCK = 4096;
const pool = Buffer.allocUnsafe(BLOCK);
let offset = BLOCK;

function randomHex(bytes: number): string {
  for (;;) {
    if (offset + bytes > BLOCK) {
      randomFillSync(pool);
      offset = 0;
    }
    const start = offset;
    offset += bytes;
    // An all-zero id is invalid (W3C Trace Context); drawing one is a 2^-64 event at worst.
    for (let i = start; i < offset; i++) if (pool[i] !== 0) return pool.toString("hex", start, offset);
  }
}

/** 16 random bytes as 32 hex digits. */
export function newTraceId(): string {
  return randomHex(16);
}

/** 8 random bytes as 16 hex digits. */
export function newSpanId(): string {
  return randomHex(8);
}
