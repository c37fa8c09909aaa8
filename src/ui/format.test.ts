import { describe, expect, it } from 'vitest';
import { etaText, formatDuration } from './format';

describe('time left', () => {
  it.each([
    [0.2, '1 s'],
    [45, '45 s'],
    [59.5, '1 min'],
    [150, '3 min'],
    [3600, '1 h'],
    [7500, '2 h 5 min'],
    [Infinity, 'unknown'],
  ])('%s seconds read as %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it('shows the speed and the time left, or that the item waits for peers', () => {
    expect(etaText(10_000_000, 2_000_000)).toBe('2.0 MB/s · 5 s left');
    expect(etaText(10_000_000, 0)).toBe('waiting for peers');
  });
});
