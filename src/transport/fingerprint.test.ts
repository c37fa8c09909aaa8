import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { checkRemoteFingerprint, compareFingerprints, sdpFingerprints, statsRemoteFingerprint } from './fingerprint';

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

describe('DTLS fingerprint from the transport’s certificate (Firefox has no certificate stats)', () => {
  const der = new Uint8Array([0x30, 0x82, 0x01, 0x0a, 1, 2, 3, 4]);
  const hex = createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)?.join(':') ?? '';
  const fakePc = (announced: string, certificates: ArrayBuffer[] | null) =>
    ({
      remoteDescription: { sdp: `v=0\r\na=fingerprint:sha-256 ${announced}\r\n` },
      sctp: certificates === null ? null : { transport: { getRemoteCertificates: () => certificates } },
      getStats: () => Promise.resolve(report({ T: { type: 'transport' } })),
    }) as unknown as RTCPeerConnection;

  it('matches when the presented certificate hashes to the announced fingerprint', async () => {
    expect(await checkRemoteFingerprint(fakePc(hex, [der.slice().buffer]))).toBe('match');
  });

  it('is a mismatch for another certificate, and unavailable when neither source has one', async () => {
    expect(await checkRemoteFingerprint(fakePc(hex, [new Uint8Array([9, 9]).buffer]))).toBe('mismatch');
    expect(await checkRemoteFingerprint(fakePc(hex, null))).toBe('unavailable');
    expect(await checkRemoteFingerprint(fakePc(hex, []))).toBe('unavailable');
  });
});
