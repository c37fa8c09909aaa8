import { describe, expect, it } from 'vitest';
import { pickChunk } from './picker';

const seq = (values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length] ?? 0;
};

interface PickCase {
  readonly name: string;
  readonly availability: readonly number[];
  readonly candidates: readonly number[];
  readonly expected: number | null;
}

describe('pickChunk', () => {
  it.each<PickCase>([
    { name: 'rarest first', availability: [3, 1, 2, 5], candidates: [0, 1, 2, 3], expected: 1 },
    { name: 'rarest among candidates only', availability: [3, 1, 2, 5], candidates: [0, 2, 3], expected: 2 },
    { name: 'single candidate', availability: [9, 9], candidates: [1], expected: 1 },
    { name: 'no candidate', availability: [1, 1], candidates: [], expected: null },
    { name: 'empty item', availability: [], candidates: [], expected: null },
    { name: 'endgame: fewest open requests (cost) wins', availability: [2, 1, 1], candidates: [0, 1, 2], expected: 1 },
  ])('$name', ({ availability, candidates, expected }) => {
    const pick = pickChunk({
      chunkCount: availability.length,
      isCandidate: (i) => candidates.includes(i),
      cost: (i) => availability[i] ?? 0,
      random: () => 0.99,
    });
    expect(pick).toBe(expected);
  });

  it('breaks ties uniformly at random', () => {
    const counts = [0, 0, 0, 0];
    let state = 12345;
    const random = () => ((state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let n = 0; n < 4000; n++) {
      const pick = pickChunk({ chunkCount: 4, isCandidate: () => true, cost: () => 1, random }) ?? -1;
      counts[pick] = (counts[pick] ?? 0) + 1;
    }
    for (const count of counts) expect(count).toBeGreaterThan(800);
  });

  it('is deterministic for a given random sequence', () => {
    const input = { chunkCount: 5, isCandidate: () => true, cost: () => 0 };
    // Ties at 1..4: replace when random * k < 1, i.e. only at the 4th tie here.
    expect(pickChunk({ ...input, random: seq([0.9, 0.9, 0.9, 0.1]) })).toBe(4);
    expect(pickChunk({ ...input, random: seq([0.1, 0.9, 0.9, 0.9]) })).toBe(1);
  });
});
