import { describe, expect, it } from 'vitest';
import { coverageGradient } from './AvailabilityBar';

describe('availability bar', () => {
  it('is one colour when every segment has the same state', () => {
    expect(coverageGradient([1, 1, 1])).toBe('#38a169');
    expect(coverageGradient([0, 0])).toBe('#fed7d7');
    expect(coverageGradient([0.5])).toBe('#9ae6b4');
    expect(coverageGradient([])).toBe('#38a169');
  });

  it('draws one hard-edged band per run of segments in the same state', () => {
    expect(coverageGradient([1, 1, 0.3, 0])).toBe(
      'linear-gradient(to right, #38a169 0.00% 50.00%, #9ae6b4 50.00% 75.00%, #fed7d7 75.00% 100.00%)',
    );
    expect(coverageGradient([0, 1, 0])).toBe('linear-gradient(to right, #fed7d7 0.00% 33.33%, #38a169 33.33% 66.67%, #fed7d7 66.67% 100.00%)');
  });
});
