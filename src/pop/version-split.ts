/**
 * @module Which version of a worker a request gets during a gradual
 * rollout: a hash of the client's sticky key (its address, or a header's
 * value) and the new version's id, below the new version's percentage. The
 * same client lands on the same side for the whole rollout; the next
 * rollout draws its clients afresh.
 */
import type { IncomingMessage } from "node:http";
import type { WorkerRuntime } from "../runtime/index.js";

/** A worker as routed: the version most clients get, and during a rollout the other one. */
export interface WorkerSlot {
  primary: WorkerRuntime;
  split?: { runtime: WorkerRuntime; percent: number; sticky: string };
}

/** The runtime for this request's client. */
export function pickVersion(slot: WorkerSlot, req: IncomingMessage, clientIp: string): WorkerRuntime {
  const split = slot.split;
  if (!split) return slot.primary;
  const header = split.sticky.startsWith("header:") ? req.headers[split.sticky.slice(7)] : undefined;
  const key = typeof header === "string" && header !== "" ? header : clientIp;
  return bucketOf(`${split.runtime.definition.version}:${key}`) < split.percent ? split.runtime : slot.primary;
}

/** 0–99 from FNV-1a of `text`: cheap, and even enough for percentages. */
export function bucketOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % 100;
}
