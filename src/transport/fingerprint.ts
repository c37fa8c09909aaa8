// After a connection opens, check that the certificate the peer presented in the DTLS handshake has the
// fingerprint its (authenticated) SDP announced. Browsers already enforce this; checking it ourselves
// guards against a browser that would not, and makes a relay-in-the-middle visible as a clear error.

/** A certificate fingerprint: hash algorithm and upper-case colon-separated hex. */
export interface Fingerprint {
  readonly algorithm: string;
  readonly value: string;
}

import type { FingerprintCheck } from '../core/ports';

export type { FingerprintCheck };

const normalize = (algorithm: string, value: string): Fingerprint => ({
  algorithm: algorithm.trim().toLowerCase(),
  value: value.trim().toUpperCase(),
});

/** Every `a=fingerprint:` of an SDP (session or media level). */
export function sdpFingerprints(sdp: string): Fingerprint[] {
  const found: Fingerprint[] = [];
  for (const line of sdp.split(/\r?\n/)) {
    const match = /^a=fingerprint:(\S+) ([0-9A-Fa-f:]+)$/.exec(line.trim());
    if (match?.[1] && match[2]) found.push(normalize(match[1], match[2]));
  }
  return found;
}

/** The remote certificate's fingerprint as the browser reports it in getStats(), or null if it does not. */
export function statsRemoteFingerprint(stats: RTCStatsReport): Fingerprint | null {
  let certificateId: string | undefined;
  stats.forEach((entry: { type?: string; remoteCertificateId?: string; dtlsState?: string }) => {
    if (entry.type === 'transport' && entry.remoteCertificateId) certificateId = entry.remoteCertificateId;
  });
  if (!certificateId) return null;
  const certificate = stats.get(certificateId) as { fingerprint?: string; fingerprintAlgorithm?: string } | undefined;
  if (!certificate?.fingerprint || !certificate.fingerprintAlgorithm) return null;
  return normalize(certificate.fingerprintAlgorithm, certificate.fingerprint);
}

/** Compares the handshake's certificate with the fingerprints the remote SDP announced. */
export function compareFingerprints(announced: readonly Fingerprint[], presented: Fingerprint | null): FingerprintCheck {
  if (!presented || announced.length === 0) return 'unavailable';
  const sameAlgorithm = announced.filter((f) => f.algorithm === presented.algorithm);
  if (sameAlgorithm.length === 0) return 'unavailable';
  return sameAlgorithm.some((f) => f.value === presented.value) ? 'match' : 'mismatch';
}

/** WebCrypto names of the SDP hash algorithms (RFC 8122) a certificate can be hashed with here. */
const webCryptoHashes: Readonly<Record<string, string>> = { 'sha-1': 'SHA-1', 'sha-256': 'SHA-256', 'sha-384': 'SHA-384', 'sha-512': 'SHA-512' };

/**
 * The remote certificate's fingerprint, hashed here from the DER bytes the DTLS transport holds
 * (`RTCDtlsTransport.getRemoteCertificates()`), under `algorithm`. Firefox (153) has no 'certificate'
 * stats and no `remoteCertificateId`, but has this; Chromium has both. Null when unavailable.
 */
export async function dtlsRemoteFingerprint(pc: RTCPeerConnection, algorithm: string): Promise<Fingerprint | null> {
  const hash = webCryptoHashes[algorithm];
  const transport = pc.sctp?.transport;
  if (!hash || !transport || typeof transport.getRemoteCertificates !== 'function') return null;
  const der = transport.getRemoteCertificates()[0];
  if (!der || der.byteLength === 0) return null;
  const digest = new Uint8Array(await crypto.subtle.digest(hash, der));
  return normalize(algorithm, Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join(':'));
}

/** Runs the check on an open connection: the DTLS transport's certificate, else getStats()'s. */
export async function checkRemoteFingerprint(pc: RTCPeerConnection): Promise<FingerprintCheck> {
  const sdp = pc.remoteDescription?.sdp;
  if (!sdp) return 'unavailable';
  const announced = sdpFingerprints(sdp);
  const algorithm = announced.find((f) => webCryptoHashes[f.algorithm])?.algorithm;
  const presented = (algorithm ? await dtlsRemoteFingerprint(pc, algorithm) : null) ?? statsRemoteFingerprint(await pc.getStats());
  return compareFingerprints(announced, presented);
}
