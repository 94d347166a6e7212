/**
 * @module A list of names kept under one bucket key and changed by
 * compare-and-set (a bucket cannot list its keys): the versions of a worker,
 * the tokens, a worker's secrets.
 */
import type { Bucket } from "../../substrate/types.js";
import { ControlError } from "../errors.js";

const CAS_ATTEMPTS = 20;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export async function readNameIndex(bucket: Bucket, key: string): Promise<string[]> {
  const entry = await bucket.get(key);
  return entry ? (JSON.parse(decoder.decode(entry.value)) as string[]) : [];
}

/** Rewrites the list at `key` with `change`, retrying when another writer came first. */
export async function updateNameIndex(bucket: Bucket, key: string, change: (names: string[]) => string[]): Promise<void> {
  for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
    const entry = await bucket.get(key);
    const names = entry ? (JSON.parse(decoder.decode(entry.value)) as string[]) : [];
    if ((await bucket.compareAndSet(key, encoder.encode(JSON.stringify(change(names))), entry?.revision ?? null)).ok) return;
  }
  throw new ControlError("contended", `The index "${key}" of bucket ${bucket.name} kept changing: ${CAS_ATTEMPTS} attempts failed`);
}
