import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './static-files.js';
import { createHarness } from './test-support/relay-harness.js';

const harness = createHarness();
afterEach(() => harness.closeAll());

/** A fake dist/ inside a temp dir whose parent holds a secret, so traversal has a target. */
let sandbox = '';
let distDir = '';
const indexHtml = '<!doctype html><title>Swarmdrop</title>';
const secret = 'TOP-SECRET-CONTENT';

beforeAll(() => {
  sandbox = mkdtempSync(join(tmpdir(), 'swarmdrop-static-'));
  distDir = join(sandbox, 'dist');
  mkdirSync(join(distDir, 'assets'), { recursive: true });
  writeFileSync(join(distDir, 'index.html'), indexHtml);
  writeFileSync(join(distDir, 'assets', 'app-abc123.js'), 'console.log(1);');
  writeFileSync(join(distDir, 'assets', 'app-abc123.css'), 'body{}');
  writeFileSync(join(distDir, 'manifest.webmanifest'), '{}');
  writeFileSync(join(distDir, 'icon.svg'), '<svg/>');
  writeFileSync(join(sandbox, 'package.json'), secret);
});
afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** Sends the path byte-for-byte (fetch would normalize `..` away before it left the test). */
function rawRequest(baseUrl: string, method: string, path: string): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function expectSecurityHeaders(headers: RawResponse['headers']): void {
  expect(headers['content-security-policy']).toBe(contentSecurityPolicy);
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['cross-origin-opener-policy']).toBe('same-origin');
  expect(headers['permissions-policy']).toBeUndefined();
}

describe('static files', () => {
  it('serves index.html at / with every security header', async () => {
    const { relay } = await harness.start({ staticDir: distDir });
    const response = await rawRequest(relay.address.url, 'GET', '/');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toBe(indexHtml);
    expectSecurityHeaders(response.headers);
  });

  it.each([
    ['/assets/app-abc123.js', 'text/javascript; charset=utf-8'],
    ['/assets/app-abc123.css', 'text/css; charset=utf-8'],
    ['/manifest.webmanifest', 'application/manifest+json; charset=utf-8'],
    ['/icon.svg', 'image/svg+xml'],
  ])('serves %s as %s', async (path, type) => {
    const { relay } = await harness.start({ staticDir: distDir });
    const response = await rawRequest(relay.address.url, 'GET', path);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe(type);
    expectSecurityHeaders(response.headers);
  });

  it('answers HEAD with headers and no body', async () => {
    const { relay } = await harness.start({ staticDir: distDir });
    const response = await rawRequest(relay.address.url, 'HEAD', '/assets/app-abc123.js');
    expect(response.status).toBe(200);
    expect(response.headers['content-length']).toBe(String('console.log(1);'.length));
    expect(response.body).toBe('');
  });

  it('falls back to index.html for extension-less paths, 404s unknown files', async () => {
    const { relay } = await harness.start({ staticDir: distDir });
    const spa = await rawRequest(relay.address.url, 'GET', '/room/abc?x=1');
    expect(spa.status).toBe(200);
    expect(spa.body).toBe(indexHtml);
    const missing = await rawRequest(relay.address.url, 'GET', '/assets/missing.js');
    expect(missing.status).toBe(404);
    expectSecurityHeaders(missing.headers);
  });

  it.each(['/../package.json', '/%2e%2e/package.json', '/assets/%2E%2E/%2e%2e/package.json', '/..%2fpackage.json', '/..%5cpackage.json', '/index.html%00.js', '/%zz'])(
    'refuses traversal or malformed path %s',
    async (path) => {
      const { relay } = await harness.start({ staticDir: distDir });
      const response = await rawRequest(relay.address.url, 'GET', path);
      expect([400, 404]).toContain(response.status);
      expect(response.body).not.toContain(secret);
      expectSecurityHeaders(response.headers);
    },
  );

  it('refuses other methods with 405', async () => {
    const { relay } = await harness.start({ staticDir: distDir });
    const response = await rawRequest(relay.address.url, 'POST', '/');
    expect(response.status).toBe(405);
    expect(response.headers['allow']).toBe('GET, HEAD');
    expectSecurityHeaders(response.headers);
  });

  it.each([
    ['absent', undefined],
    ['missing', join(tmpdir(), 'swarmdrop-no-such-dir')],
  ])('answers 503 when staticDir is %s', async (_label, staticDir) => {
    const { relay } = await harness.start({ staticDir });
    const response = await rawRequest(relay.address.url, 'GET', '/');
    expect(response.status).toBe(503);
    expect(response.body).toBe('page not built: run npm run build');
    expectSecurityHeaders(response.headers);
  });
});
