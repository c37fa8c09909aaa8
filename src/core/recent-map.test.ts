import { describe, expect, it } from 'vitest';
import { setRecent } from './recent-map';

describe('recent map', () => {
  it('keeps the newest entries, a re-set key counting as new', () => {
    const map = new Map<string, number>();
    for (const [key, value] of [['a', 1], ['b', 2], ['c', 3], ['a', 4], ['d', 5]] as const) setRecent(map, key, value, 3);
    expect([...map]).toEqual([['c', 3], ['a', 4], ['d', 5]]);
  });
});
