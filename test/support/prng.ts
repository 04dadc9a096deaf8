/** xorshift32 with a scrambled seed and a warm-up (small seeds would otherwise start near 0): seeded tests replay. */
export function prng(seed: number): () => number {
  let x = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) >>> 0 || 1;
  const next = (): number => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
  for (let i = 0; i < 8; i++) next();
  return next;
}
