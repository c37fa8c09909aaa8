// Test-only: a throwaway self-signed certificate made with Debian's openssl, for HTTPS/WSS tests.
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A certificate and key on disk, and the SPKI hash Chromium's `--ignore-certificate-errors-spki-list` takes. */
export interface TestCertificate {
  readonly certPath: string;
  readonly keyPath: string;
  readonly cert: Buffer;
  readonly key: Buffer;
  readonly spkiSha256Base64: string;
  remove(): void;
}

/** Days the certificate is valid: a test run is minutes long. */
const validityDays = 2;

/** Makes a P-256 certificate valid for `ips` (IP SANs) and `names` (DNS SANs). */
export function createTestCertificate(ips: readonly string[], names: readonly string[] = ['localhost']): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'swarmdrop-cert-'));
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  const san = [...ips.map((ip) => `IP:${ip}`), ...names.map((name) => `DNS:${name}`)].join(',');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', String(validityDays),
      '-subj', '/CN=swarmdrop-test', '-addext', `subjectAltName=${san}`, '-keyout', keyPath, '-out', certPath],
    { stdio: 'ignore', timeout: 10_000 },
  );
  const cert = readFileSync(certPath);
  const spki = new X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' });
  return {
    certPath,
    keyPath,
    cert,
    key: readFileSync(keyPath),
    spkiSha256Base64: createHash('sha256').update(spki).digest('base64'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
