import { describe, expect, it } from 'vitest';
import { fluidBound } from './fluid-bound';

const mib = 1024 * 1024;

/** The seven homes of issue 22: sharer ↑4, six friends ↑1, 2, 2, 4, 4, 8 and ↓20–50 Mbit/s. */
const issueFriends = [
  { upMbit: 1, downMbit: 20 },
  { upMbit: 2, downMbit: 25 },
  { upMbit: 2, downMbit: 30 },
  { upMbit: 4, downMbit: 40 },
  { upMbit: 4, downMbit: 50 },
  { upMbit: 8, downMbit: 50 },
];

describe('fluidBound (Kumar & Ross 2006)', () => {
  it("gives the issue's figures: T* = 25.2 s, limited by the sharer's upload; client–server 151 s", () => {
    const bound = fluidBound(12 * mib, 4, issueFriends);
    expect(bound.boundSeconds).toBeCloseTo(25.17, 2);
    expect(bound.limitedBy).toBe('sharer-upload');
    expect(bound.clientServerSeconds).toBeCloseTo(150.99, 2);
  });

  it.each([
    // [case, file MiB, sharer ↑, peers, T* s, limit]
    ['one peer with a slower download than the sharer uploads', 1, 8, [{ upMbit: 1, downMbit: 2 }], 4.194, 'slowest-download'],
    ['many peers with little upload: everyone’s upload together', 1, 8, Array.from({ length: 10 }, () => ({ upMbit: 0.5, downMbit: 100 })), 6.453, 'total-upload'],
    ['peers uploading nothing: client–server is the bound', 1, 4, [{ upMbit: 0, downMbit: 100 }, { upMbit: 0, downMbit: 100 }], 4.194, 'total-upload'],
    ['fast peers: the sharer sends one copy', 2, 1, [{ upMbit: 50, downMbit: 50 }, { upMbit: 50, downMbit: 50 }], 16.777, 'sharer-upload'],
  ] as const)('%s', (_case, fileMib, sharerUpMbit, peers, seconds, limit) => {
    const bound = fluidBound(fileMib * mib, sharerUpMbit, peers);
    expect(bound.boundSeconds).toBeCloseTo(seconds, 3);
    expect(bound.limitedBy).toBe(limit);
  });

  it('is 0 with nobody to send to, and refuses impossible rates', () => {
    expect(fluidBound(mib, 1, [])).toEqual({ boundSeconds: 0, limitedBy: 'sharer-upload', clientServerSeconds: 0 });
    expect(() => fluidBound(mib, 0, [{ upMbit: 1, downMbit: 1 }])).toThrow(RangeError);
    expect(() => fluidBound(mib, 1, [{ upMbit: 1, downMbit: 0 }])).toThrow(RangeError);
    expect(() => fluidBound(-1, 1, [{ upMbit: 1, downMbit: 1 }])).toThrow(RangeError);
  });
});
