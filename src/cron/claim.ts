/**
 * @module Claiming a tick, network-wide: one key per worker and cron in the
 * substrate bucket `verge-cron`, holding the last tick claimed. A PoP claims
 * tick T by compare-and-set from the revision of a value whose tick is
 * earlier than T; the stored tick only ever grows, so of all the PoPs racing
 * for T exactly one wins, and a PoP that finds T (or a later tick) there
 * knows it was late.
 */
import { createHash } from "node:crypto";
import type { Bucket, WaitOptions } from "../substrate/types.js";
import { normalizeCron } from "./schedule.js";

/** The bucket holding every worker's last claimed ticks. */
export const CRON_BUCKET = "verge-cron";

/** Compare-and-set rounds before a claim gives up (each lost round means someone else wrote). */
const MAX_ROUNDS = 5;

/** What a key holds: the last tick claimed, by whom, for which expression. */
export interface ClaimRecord {
  tick: number;
  pop: string;
  cron: string;
}

/** `won`: run it; `taken`: another PoP has this tick or a later one; `contended`: writes kept racing. */
export type ClaimResult = "won" | "taken" | "contended";

/**
 * The key of a worker's cron: the worker name (a DNS label) and a short hash
 * of the expression, whose characters keys do not all allow.
 * @example cronKey("reports", "0 * * * *"); // "reports/3c0e…" (16 hex digits)
 */
export function cronKey(worker: string, cron: string): string {
  return `${worker}/${createHash("sha256").update(normalizeCron(cron)).digest("hex").slice(0, 16)}`;
}

function lastTick(value: Uint8Array): number {
  try {
    const record = JSON.parse(Buffer.from(value).toString("utf8")) as Partial<ClaimRecord>;
    return typeof record.tick === "number" ? record.tick : -Infinity;
  } catch {
    return -Infinity; // An unreadable record claims nothing; the next claim replaces it.
  }
}

/**
 * Claims `record.tick` of `key` for `record.pop`.
 * @example if ((await claimTick(bucket, cronKey(w, c), { tick, pop, cron: c })) === "won") run();
 */
export async function claimTick(bucket: Bucket, key: string, record: ClaimRecord, options?: WaitOptions): Promise<ClaimResult> {
  const value = Buffer.from(JSON.stringify(record));
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const entry = await bucket.get(key, options);
    if (entry && lastTick(entry.value) >= record.tick) return "taken";
    const result = await bucket.compareAndSet(key, value, entry?.revision ?? null, options);
    if (result.ok) return "won";
  }
  return "contended";
}
