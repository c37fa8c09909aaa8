import { describe, expect, it } from 'vitest';
import { compareFingerprints, sdpFingerprints, statsRemoteFingerprint } from './fingerprint';

const sdp = ['v=0', 'a=group:BUNDLE 0', 'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'a=fingerprint:sha-256 ab:CD:01', 'a=setup:actpass', ''].join('\r\n');

function report(entries: Record<string, Record<string, unknown>>): RTCStatsReport {
  return new Map(Object.entries(entries)) as unknown as RTCStatsReport;
}

describe('DTLS fingerprint check', () => {
  it('reads the fingerprints an SDP announces, normalised', () => {
    expect(sdpFingerprints(sdp)).toEqual([{ algorithm: 'sha-256', value: 'AB:CD:01' }]);
    expect(sdpFingerprints('v=0\r\na=fingerprint:bogus\r\n')).toEqual([]);
  });

  it('reads the certificate the handshake presented from getStats()', () => {
    const stats = report({
      T1: { type: 'transport', remoteCertificateId: 'C2' },
      C1: { type: 'certificate', fingerprint: '11:11', fingerprintAlgorithm: 'sha-256' },
      C2: { type: 'certificate', fingerprint: 'ab:cd:01', fingerprintAlgorithm: 'SHA-256' },
    });
    expect(statsRemoteFingerprint(stats)).toEqual({ algorithm: 'sha-256', value: 'AB:CD:01' });
    expect(statsRemoteFingerprint(report({ T1: { type: 'transport' } }))).toBeNull();
  });

  it.each([
    ['match', [{ algorithm: 'sha-256', value: 'AB:CD:01' }], { algorithm: 'sha-256', value: 'AB:CD:01' }],
    ['mismatch', [{ algorithm: 'sha-256', value: 'AB:CD:01' }], { algorithm: 'sha-256', value: 'AB:CD:02' }],
    ['unavailable', [], { algorithm: 'sha-256', value: 'AB:CD:01' }],
    ['unavailable', [{ algorithm: 'sha-256', value: 'AB' }], null],
    ['unavailable', [{ algorithm: 'sha-1', value: 'AB' }], { algorithm: 'sha-256', value: 'AB' }],
  ] as const)('%s', (expected, announced, presented) => {
    expect(compareFingerprints(announced, presented)).toBe(expected);
  });
});
