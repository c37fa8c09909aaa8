import { describe, expect, it } from 'vitest';
import { createPathWatch, pathStallMs, selectedPairCounters } from './path-watch';

const at = (watch: ReturnType<typeof createPathWatch>, samples: readonly (readonly [number, number, number])[]): boolean[] =>
  samples.map(([ms, sent, received]) => watch.sample(ms, { bytesSent: sent, bytesReceived: received }));

describe('path watch', () => {
  it('judges a path broken when bytes go out and nothing comes back for the stall time', () => {
    const results = at(createPathWatch(), [
      [0, 100, 100],
      [1000, 200, 150],
      [2000, 300, 150], // silence back starts after 1000 ms
      [3000, 400, 150],
      [3499, 450, 150],
      [3500, 500, 150], // 2500 ms of silence while sending
    ]);
    expect(results).toEqual([false, false, false, false, false, true]);
  });

  it.each([
    ['an idle link (nothing sent, nothing received)', [[0, 10, 10], [pathStallMs, 10, 10], [pathStallMs * 2, 10, 10]]],
    ['a busy link (acks keep coming)', [[0, 0, 0], [1000, 1e6, 100], [2000, 2e6, 200], [3000, 3e6, 300], [6000, 6e6, 600]]],
    ['the end of a transfer (both sides fall quiet)', [[0, 0, 0], [1000, 1e6, 100], [2000, 1e6, 110], [5000, 1e6, 110], [9000, 1e6, 110]]],
    ['a receiver whose sender vanished (it sends nothing)', [[0, 0, 0], [1000, 5, 1e6], [4000, 5, 1e6], [8000, 5, 1e6]]],
  ] as const)('does not judge %s', (_label, samples) => {
    expect(at(createPathWatch(), samples).some(Boolean)).toBe(false);
  });

  it('starts afresh after reset (a new selected pair has new counters)', () => {
    const watch = createPathWatch();
    at(watch, [[0, 100, 100], [3000, 500, 100]]);
    watch.reset();
    expect(at(watch, [[3100, 0, 0], [3200, 10, 0]])).toEqual([false, false]);
  });

  it('reads the selected pair’s counters from getStats()', () => {
    const stats = new Map<string, Record<string, unknown>>([
      ['T', { id: 'T', type: 'transport', selectedCandidatePairId: 'P' }],
      ['P', { id: 'P', type: 'candidate-pair', bytesSent: 7, bytesReceived: 9 }],
      ['Q', { id: 'Q', type: 'candidate-pair', bytesSent: 1, bytesReceived: 1 }],
    ]) as unknown as RTCStatsReport;
    expect(selectedPairCounters(stats)).toEqual({ pairId: 'P', bytesSent: 7, bytesReceived: 9 });
    expect(selectedPairCounters(new Map() as unknown as RTCStatsReport)).toBeNull();
  });
});
