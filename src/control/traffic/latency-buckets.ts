/**
 * @module Fixed latency buckets shared by the PoPs' reports and the control
 * plane's window: counts per bucket add up across PoPs and seconds, and a
 * quantile is read off the merged counts (within a bucket's width, about 20%).
 */

/** Upper bounds in ms, about 20% apart from 0.1 ms to 60 s; the last bucket is everything above. */
export const BUCKET_BOUNDS: readonly number[] = (() => {
  const bounds: number[] = [];
  for (let bound = 0.1; bound < 60_000; bound *= 1.2) bounds.push(Number(bound.toPrecision(3)));
  return bounds;
})();

export function bucketIndex(ms: number): number {
  let low = 0;
  let high = BUCKET_BOUNDS.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (ms <= BUCKET_BOUNDS[mid]) high = mid;
    else low = mid + 1;
  }
  return low;
}

/** The `q` quantile (0–1) of merged counts, as the upper bound of its bucket; null with no samples. */
export function quantile(counts: readonly number[], q: number): number | null {
  const total = counts.reduce((sum, n) => sum + n, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const [i, n] of counts.entries()) {
    seen += n;
    if (seen >= rank) return BUCKET_BOUNDS[Math.min(i, BUCKET_BOUNDS.length - 1)];
  }
  return BUCKET_BOUNDS[BUCKET_BOUNDS.length - 1];
}
