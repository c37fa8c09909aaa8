import { describe, expect, it } from 'vitest';
import { createTokenBucket } from './token-bucket.js';

/** A step: advance the fake clock by `advanceMs`, then call take() `takes` times. */
interface Step {
  readonly advanceMs: number;
  readonly takes: number;
}

interface Case {
  readonly name: string;
  readonly capacity: number;
  readonly refillPerSecond: number;
  readonly steps: readonly Step[];
  /** Results of every take(), in order. */
  readonly expected: readonly boolean[];
}

const cases: readonly Case[] = [
  { name: 'starts full', capacity: 3, refillPerSecond: 1, steps: [{ advanceMs: 0, takes: 3 }], expected: [true, true, true] },
  {
    name: 'empties after capacity',
    capacity: 2,
    refillPerSecond: 1,
    steps: [{ advanceMs: 0, takes: 3 }],
    expected: [true, true, false],
  },
  {
    name: 'refills one token per 1000/rate ms',
    capacity: 1,
    refillPerSecond: 10,
    steps: [
      { advanceMs: 0, takes: 2 },
      { advanceMs: 99, takes: 1 },
      { advanceMs: 1, takes: 2 },
    ],
    expected: [true, false, false, true, false],
  },
  {
    name: 'never exceeds capacity after a long idle',
    capacity: 2,
    refillPerSecond: 100,
    steps: [
      { advanceMs: 0, takes: 2 },
      { advanceMs: 60_000, takes: 3 },
    ],
    expected: [true, true, true, true, false],
  },
  {
    name: 'fractional refill accumulates',
    capacity: 5,
    refillPerSecond: 2,
    steps: [
      { advanceMs: 0, takes: 5 },
      { advanceMs: 250, takes: 1 },
      { advanceMs: 250, takes: 1 },
    ],
    expected: [true, true, true, true, true, false, true],
  },
  {
    name: 'a clock stepping backwards neither mints nor burns',
    capacity: 1,
    refillPerSecond: 1,
    steps: [
      { advanceMs: 0, takes: 1 },
      { advanceMs: -5_000, takes: 1 },
      { advanceMs: 1_000, takes: 1 },
    ],
    expected: [true, false, true],
  },
];

describe('createTokenBucket', () => {
  it.each(cases)('$name', ({ capacity, refillPerSecond, steps, expected }) => {
    let clockMs = 1_000_000;
    const bucket = createTokenBucket({ capacity, refillPerSecond, now: () => clockMs });
    const results: boolean[] = [];
    for (const { advanceMs, takes } of steps) {
      clockMs += advanceMs;
      for (let i = 0; i < takes; i += 1) results.push(bucket.take());
    }
    expect(results).toEqual(expected);
  });
});
