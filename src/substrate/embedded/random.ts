/** @module A small seeded PRNG, so that a test run with random drops repeats exactly. */

/**
 * mulberry32: uniform numbers in [0, 1) from a 32-bit seed.
 *
 * @example const random = seeded(7); random() // same value on every run
 */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
