/**
 * Seeded pseudo-random numbers for what must replay and is no secret: the medium's fault
 * decisions, fuzz campaigns and seeded tests. Never for protocol randomness (see rng.ts). Each
 * generator is kept bit for bit, so that a seed keeps naming the same run.
 */

/** mulberry32: floats in [0, 1) from a 32-bit seed (the medium's fault decisions). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One step of Marsaglia's xorshift32 (shifts 13, 17, 5) from a non-zero 32-bit state. */
export function xorshift32(state: number): number {
  let x = state;
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  return x >>> 0;
}

/**
 * Floats in [0, 1) from xorshift32, with the seed scrambled and eight steps discarded so that
 * small seeds do not start near 0 (seeded tests).
 */
export function seededRandom(seed: number): () => number {
  let x = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) >>> 0 || 1;
  const next = (): number => {
    x = xorshift32(x);
    return x / 0x100000000;
  };
  for (let i = 0; i < 8; i++) next();
  return next;
}
