/**
 * @module Default limits of a worker (DESIGN.md), written once so that error
 * messages quote them. Each can be overridden per worker.
 */
export const DefaultLimits = {
  /** CPU time per request, measured on the isolate's CPU clock. */
  CPU_MS: 50,
  /** Heap limit of one isolate. */
  MEMORY_MB: 128,
  /** fetch() calls per request. */
  SUBREQUESTS: 50,
  /** Bundled worker script size. */
  BUNDLE_BYTES: 10 * 1024 * 1024,
  /** Wall time for ctx.waitUntil work after the response. */
  WAIT_UNTIL_MS: 30_000,
} as const;

export interface WorkerLimits {
  cpuMs: number;
  memoryMb: number;
  subrequests: number;
  bundleBytes: number;
  waitUntilMs: number;
}

/** The default limits with `overrides` applied; undefined overrides are ignored. */
export function defaultLimits(overrides: Partial<WorkerLimits> = {}): WorkerLimits {
  const limits: WorkerLimits = {
    cpuMs: DefaultLimits.CPU_MS,
    memoryMb: DefaultLimits.MEMORY_MB,
    subrequests: DefaultLimits.SUBREQUESTS,
    bundleBytes: DefaultLimits.BUNDLE_BYTES,
    waitUntilMs: DefaultLimits.WAIT_UNTIL_MS,
  };
  for (const [key, value] of Object.entries(overrides) as [keyof WorkerLimits, number | undefined][]) {
    if (value !== undefined) limits[key] = value;
  }
  return limits;
}
