// Test-only: a repeatable stand-in for Math.random.

/** A 32-bit linear congruential generator in [0, 1): the tests need spread and repeatability, not quality. */
export function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}
