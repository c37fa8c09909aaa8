// The page's text files served compressed: the encoding a client asks for, once per file version.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isCompressible, pickEncoding } from './compressed-files.js';
import { createHarness } from './test-support/relay-harness.js';

const harness = createHarness();
afterEach(() => harness.closeAll());

let distDir = '';
/** A script big enough to be worth compressing, and repetitive enough to shrink. */
const script = 'export const greeting = "hello, swarm";\n'.repeat(200);
beforeAll(() => {
  distDir = mkdtempSync(join(tmpdir(), 'swarmdrop-compress-'));
  writeFileSync(join(distDir, 'index.html'), '<!doctype html><title>Swarmdrop</title>');
  writeFileSync(join(distDir, 'app.js'), script);
  writeFileSync(join(distDir, 'tiny.js'), 'x');
  writeFileSync(join(distDir, 'photo.png'), Buffer.alloc(4096, 7));
});
afterAll(() => rmSync(distDir, { recursive: true, force: true }));

function get(baseUrl: string, path: string, acceptEncoding?: string, method = 'GET') {
  const { hostname, port } = new URL(baseUrl);
  return new Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const headers = acceptEncoding === undefined ? {} : { 'Accept-Encoding': acceptEncoding };
    const req = request({ host: hostname, port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('compressed static files', () => {
  it('picks Brotli, then gzip, never an encoding refused with q=0', () => {
    expect(pickEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(pickEncoding('gzip')).toBe('gzip');
    expect(pickEncoding('br;q=0, gzip;q=0.5')).toBe('gzip');
    expect(pickEncoding(['deflate', 'gzip'])).toBe('gzip');
    expect(pickEncoding('identity')).toBeNull();
    expect(pickEncoding(undefined)).toBeNull();
    expect(isCompressible('text/javascript; charset=utf-8')).toBe(true);
    expect(isCompressible('image/png')).toBe(false);
  });

  it('serves a script in the encoding asked for, smaller, and the same bytes once decoded', async () => {
    const { relay } = await harness.start({ staticDir: distDir });
    const brotli = await get(relay.address.url, '/app.js', 'gzip, deflate, br');
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.headers['vary']).toBe('Accept-Encoding');
    expect(Number(brotli.headers['content-length'])).toBe(brotli.body.length);
    expect(brotli.body.length).toBeLessThan(script.length / 10);
    expect(brotliDecompressSync(brotli.body).toString('utf8')).toBe(script);
    const gzipped = await get(relay.address.url, '/app.js', 'gzip');
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzipped.body).toString('utf8')).toBe(script);
    const again = await get(relay.address.url, '/app.js', 'br');
    expect(again.body.equals(brotli.body)).toBe(true);
    const head = await get(relay.address.url, '/app.js', 'br', 'HEAD');
    expect(head.headers['content-encoding']).toBe('br');
    expect(head.body.length).toBe(0);
  });

  it('leaves as they are: a client that asks for none, tiny files and images', async () => {
    const { relay } = await harness.start({ staticDir: distDir });
    const plain = await get(relay.address.url, '/app.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['vary']).toBe('Accept-Encoding');
    expect(plain.body.toString('utf8')).toBe(script);
    expect((await get(relay.address.url, '/tiny.js', 'br')).headers['content-encoding']).toBeUndefined();
    const photo = await get(relay.address.url, '/photo.png', 'br');
    expect(photo.headers['content-encoding']).toBeUndefined();
    expect(photo.headers['vary']).toBeUndefined();
    expect(photo.body.length).toBe(4096);
  });
});
