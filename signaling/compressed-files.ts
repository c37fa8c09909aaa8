// Compressed copies of the page's text files (HTML, JS, CSS, JSON, SVG), made once per file version
// and kept in memory: the page's script is ~470 KB, ~150 KB gzipped, and on a phone's network the
// difference is most of the time to first paint.
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

/** The encodings served, best first. */
export type Encoding = 'br' | 'gzip';

/** Smallest file worth compressing: below a packet, the headers cost more than they save. */
export const minCompressBytes = 1024;

/** Compressed bytes kept at most: the built page is a few MB; past this, copies are made per request. */
export const maxCachedBytes = 32 * 1024 * 1024;

/** Brotli quality: 9 compresses the page's script nearly as well as 11, in a fraction of the time. */
const brotliQuality = 9;

/** Text types; images and fonts are compressed already. */
const compressibleType = /^(text\/|application\/(json|javascript|manifest\+json)|image\/svg\+xml)/;

export function isCompressible(contentType: string): boolean {
  return compressibleType.test(contentType);
}

/** The encoding to use for a request's `Accept-Encoding`, or null for none (identity). */
export function pickEncoding(acceptEncoding: string | string[] | undefined): Encoding | null {
  const offered = (Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : (acceptEncoding ?? ''))
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .filter((part) => !/;\s*q=0(\.0*)?$/.test(part))
    .map((part) => part.split(';')[0]);
  if (offered.includes('br')) return 'br';
  if (offered.includes('gzip')) return 'gzip';
  return null;
}

const compress: Record<Encoding, (bytes: Buffer) => Promise<Buffer>> = {
  br: (bytes) => promisify(brotliCompress)(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: brotliQuality, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }),
  gzip: (bytes) => promisify(gzip)(bytes),
};

/** Compressed copies by file version: `get` reads and compresses a file once, then answers from memory. */
export interface CompressedFiles {
  get(path: string, mtimeMs: number, encoding: Encoding): Promise<Buffer>;
}

export function createCompressedFiles(limitBytes = maxCachedBytes): CompressedFiles {
  const copies = new Map<string, Promise<Buffer>>();
  let cachedBytes = 0;
  return {
    get(path, mtimeMs, encoding) {
      const key = `${encoding}:${mtimeMs}:${path}`;
      const kept = copies.get(key);
      if (kept) return kept;
      const made = readFile(path).then((bytes) => compress[encoding](bytes));
      if (cachedBytes < limitBytes) {
        copies.set(key, made);
        made.then(
          (bytes) => void (cachedBytes += bytes.length),
          () => copies.delete(key), // a failed read is tried again next time
        );
      }
      return made;
    },
  };
}
