import { describe, expect, it } from 'vitest';
import { drawDistinct } from './sample.js';
import { createPrng } from './test-support/prng.js';

describe('drawDistinct', () => {
  it.each([
    { size: 0, count: 5, expected: [] },
    { size: 3, count: 0, expected: [] },
    { size: 3, count: -2, expected: [] },
    { size: 3, count: 3, expected: [0, 1, 2] },
    { size: 3, count: 64, expected: [0, 1, 2] },
    { size: 2.7, count: 9, expected: [0, 1] },
  ])('draws every index or none at the edges: size $size, count $count', ({ size, count, expected }) => {
    expect(drawDistinct(size, count, createPrng(1).next)).toEqual(expected);
  });

  it('draws exactly count distinct indices in range when the size is larger', () => {
    const random = createPrng(7).next;
    for (const [size, count] of [
      [10, 3],
      [100, 64],
      [1_000, 64],
      [65, 64],
    ] as const) {
      const drawn = drawDistinct(size, count, random);
      expect(drawn).toHaveLength(count);
      expect(new Set(drawn).size).toBe(count);
      expect(drawn.every((i) => Number.isInteger(i) && i >= 0 && i < size)).toBe(true);
    }
  });

  it('reaches every index about equally often', () => {
    const random = createPrng(22).next;
    const hits = new Array<number>(20).fill(0);
    const rounds = 4_000;
    for (let round = 0; round < rounds; round++) for (const i of drawDistinct(20, 5, random)) hits[i] = (hits[i] ?? 0) + 1;
    // Each index is drawn with chance 5/20: 1,000 times expected, a standard deviation of about 27.
    for (const count of hits) expect(Math.abs(count - rounds / 4)).toBeLessThan(150);
  });

  it('stays in range and distinct whatever the random source returns', () => {
    for (const bad of [() => 1, () => -0.5, () => Number.NaN, () => 7]) {
      const drawn = drawDistinct(10, 4, bad);
      expect(new Set(drawn).size).toBe(4);
      expect(drawn.every((i) => i >= 0 && i < 10)).toBe(true);
    }
  });
});
