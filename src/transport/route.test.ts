import { describe, expect, it } from 'vitest';
import { routeFromStats } from './route';

function report(entries: Record<string, Record<string, unknown>>): RTCStatsReport {
  return new Map(Object.entries(entries).map(([id, entry]) => [id, { id, ...entry }])) as unknown as RTCStatsReport;
}

const candidates = {
  Lhost: { type: 'local-candidate', candidateType: 'host' },
  Lsrflx: { type: 'local-candidate', candidateType: 'srflx' },
  Lrelay: { type: 'local-candidate', candidateType: 'relay' },
  Rprflx: { type: 'remote-candidate', candidateType: 'prflx' },
  Rrelay: { type: 'remote-candidate', candidateType: 'relay' },
  Rhost: { type: 'remote-candidate', candidateType: 'host' },
};

describe('route of the selected candidate pair', () => {
  it.each([
    ['direct', 'Lhost', 'Rhost'],
    ['direct', 'Lsrflx', 'Rprflx'],
    ['relay', 'Lrelay', 'Rrelay'],
    ['relay', 'Lsrflx', 'Rrelay'],
    ['relay', 'Lrelay', 'Rprflx'],
  ] as const)('%s for %s -> %s (the transport points at the pair, as in Chromium)', (expected, local, remote) => {
    const stats = report({
      ...candidates,
      T: { type: 'transport', selectedCandidatePairId: 'P2' },
      P1: { type: 'candidate-pair', localCandidateId: 'Lhost', remoteCandidateId: 'Rhost', nominated: true, state: 'succeeded' },
      P2: { type: 'candidate-pair', localCandidateId: local, remoteCandidateId: remote },
    });
    expect(routeFromStats(stats)).toBe(expected);
  });

  it('uses the pair marked selected when no transport points at one (Firefox)', () => {
    const stats = report({
      ...candidates,
      P1: { type: 'candidate-pair', localCandidateId: 'Lhost', remoteCandidateId: 'Rhost', selected: false },
      P2: { type: 'candidate-pair', localCandidateId: 'Lrelay', remoteCandidateId: 'Rprflx', selected: true },
    });
    expect(routeFromStats(stats)).toBe('relay');
  });

  it('falls back to a nominated pair that succeeded', () => {
    const stats = report({
      ...candidates,
      P1: { type: 'candidate-pair', localCandidateId: 'Lsrflx', remoteCandidateId: 'Rrelay', nominated: false, state: 'succeeded' },
      P2: { type: 'candidate-pair', localCandidateId: 'Lsrflx', remoteCandidateId: 'Rprflx', nominated: true, state: 'succeeded' },
    });
    expect(routeFromStats(stats)).toBe('direct');
  });

  it('is null while no pair is selected or a candidate is missing', () => {
    expect(routeFromStats(report({ ...candidates, P: { type: 'candidate-pair', localCandidateId: 'Lhost', remoteCandidateId: 'Rhost', state: 'in-progress' } }))).toBeNull();
    expect(routeFromStats(report({ T: { type: 'transport', selectedCandidatePairId: 'P' }, P: { type: 'candidate-pair', localCandidateId: 'X', remoteCandidateId: 'Y' } }))).toBeNull();
  });
});
