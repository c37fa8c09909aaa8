import { describe, expect, it } from 'vitest';
import { sha256, toHex, utf8Encoder } from './bytes';
import { chunkLength, chunkSpans } from './chunk-layout';
import { chooseChunkBytes, chunkHash, createManifest, parseManifest, pathProblem, readSpansByRange, type ManifestFile } from './manifest';
import { maxManifestBytes } from './protocol/limits';

const chunkBytes = 1000;

async function manifestFor(sizes: number[], names = sizes.map((_, i) => `f${i}.bin`)) {
  const files: ManifestFile[] = sizes.map((size, i) => ({ path: names[i] as string, size, type: 'application/octet-stream' }));
  const read = async (file: number, offset: number, length: number) => new Uint8Array(length).fill(file + offset / chunkBytes);
  return createManifest('item', files, readSpansByRange(read), chunkBytes);
}

describe('chunk plan', () => {
  it.each([
    [0, 0, []],
    [1, 1, [1]],
    [chunkBytes, 1, [chunkBytes]],
    [chunkBytes * 3, 3, [chunkBytes, chunkBytes, chunkBytes]],
    [chunkBytes + 1, 2, [chunkBytes, 1]],
  ])('a file of %i bytes has %i chunks of %j bytes', async (size, count, lengths) => {
    const { manifest } = await manifestFor([size]);
    expect(manifest.chunkCount).toBe(count);
    expect(manifest.totalBytes).toBe(size);
    expect(Array.from({ length: count }, (_, i) => chunkLength(manifest.layout, i))).toEqual(lengths);
  });

  it('packs the files of a multi-file item back to back across chunks (version 2)', async () => {
    const { manifest } = await manifestFor([1500, 0, 1, 2000]);
    expect(manifest.version).toBe(2);
    expect(manifest.chunkCount).toBe(4); // 3501 bytes in chunks of 1000
    expect(chunkSpans(manifest.layout, 1)).toEqual([
      { fileIndex: 0, offset: 1000, length: 500 },
      { fileIndex: 2, offset: 0, length: 1 },
      { fileIndex: 3, offset: 0, length: 499 },
    ]);
    expect(chunkSpans(manifest.layout, 3)).toEqual([{ fileIndex: 3, offset: 1499, length: 501 }]);
    expect(() => chunkSpans(manifest.layout, 4)).toThrow(RangeError);
  });

  it('hashes every chunk from all the file ranges it spans', async () => {
    const { manifest } = await manifestFor([chunkBytes + 1]);
    expect(chunkHash(manifest, 1)).toEqual(await sha256(new Uint8Array(1).fill(1)));
    const packed = await manifestFor([600, 600]);
    const expected = new Uint8Array(1000);
    expected.fill(0, 0, 600);
    expected.fill(1, 600, 1000);
    expect(chunkHash(packed.manifest, 0)).toEqual(await sha256(expected));
  });

  it.each([
    [0, 64 << 10],
    [12 << 20, 64 << 10],
    [(32 << 20) - 1, 64 << 10],
    [32 << 20, 128 << 10],
    [64 << 20, 256 << 10],
    [(256 << 20) - 1, 512 << 10],
    [256 << 20, 1 << 20],
    [8192 * (1 << 20), 1 << 20],
    [8192 * (1 << 20) + 1, 2 << 20],
    [2 ** 50, 16 << 20],
  ])('picks the chunk size for %i bytes: %i', (total, expected) => {
    expect(chooseChunkBytes(total)).toBe(expected);
  });
});

describe('parseManifest', () => {
  it('accepts its own bytes under its id and reproduces the plan', async () => {
    const signed = await manifestFor([2500, 0], ['résumé final.pdf', 'docs/empty']);
    const parsed = await parseManifest(signed.bytes, signed.itemId);
    expect(parsed?.manifest).toEqual(signed.manifest);
  });

  it('rejects bytes announced under another id', async () => {
    const signed = await manifestFor([10]);
    expect(await parseManifest(signed.bytes, '00'.repeat(32))).toBeNull();
  });

  const reject = async (text: string) => {
    const bytes = utf8Encoder.encode(text);
    return parseManifest(bytes, toHex(await sha256(bytes)));
  };
  const valid = { v: 1, name: 'a', chunkBytes: 1000, files: [{ path: 'a', size: 1, type: '' }], hashes: 'A'.repeat(43) };
  const variant = (change: Record<string, unknown>) => JSON.stringify({ ...valid, ...change });

  it.each([
    ['not JSON', '{'],
    ['not an object', '[]'],
    ['unknown version', variant({ v: 3 })],
    ['no files', variant({ files: [] })],
    ['path with ..', variant({ files: [{ path: '../x', size: 1, type: '' }] })],
    ['absolute path', variant({ files: [{ path: '/x', size: 1, type: '' }] })],
    ['negative size', variant({ files: [{ path: 'a', size: -1, type: '' }] })],
    ['fractional size', variant({ files: [{ path: 'a', size: 1.5, type: '' }] })],
    ['extra field', variant({ files: [{ path: 'a', size: 1, type: '', x: 1 }] })],
    ['hash count mismatch', variant({ hashes: 'A'.repeat(86) })],
    ['chunk size zero', variant({ chunkBytes: 0 })],
    ['not canonical (spaces)', JSON.stringify(valid, null, 1)],
    ['name with a slash', variant({ name: 'a/b' })],
  ])('rejects %s', async (_label, text) => {
    expect(await reject(text)).toBeNull();
  });

  it('accepts the canonical form of the same fields', async () => {
    expect(await reject(JSON.stringify(valid))).not.toBeNull();
  });

  it('still reads version 1, where each file starts on a fresh chunk', async () => {
    const files = [{ path: 'a', size: 1500, type: '' }, { path: 'b', size: 1, type: '' }];
    const threeHashes = 'A'.repeat(128);
    const parsed = await reject(variant({ files, hashes: threeHashes }));
    expect(parsed?.manifest.layout.kind).toBe('aligned');
    expect(parsed && chunkSpans(parsed.manifest.layout, 2)).toEqual([{ fileIndex: 1, offset: 0, length: 1 }]);
    // Packed, the same 1501 bytes are two chunks, so three hashes do not fit.
    expect(await reject(variant({ v: 2, files, hashes: threeHashes }))).toBeNull();
    expect(await reject(variant({ v: 2, files, hashes: 'A'.repeat(86) }))).not.toBeNull();
  });

  it('rejects a manifest over the size limit before parsing it', async () => {
    expect(await parseManifest(new Uint8Array(maxManifestBytes + 1), '00'.repeat(32))).toBeNull();
  });

  it('refuses to create an item with an invalid path', async () => {
    await expect(manifestFor([1], ['a/../b'])).rejects.toThrow(/cannot be shared/);
  });

  it('refuses a file list too long to describe before reading any file', async () => {
    const files = Array.from({ length: 2000 }, (_, i) => ({ path: `${'long name '.repeat(250)}${i}`, size: 1, type: '' }));
    let reads = 0;
    const read = async () => {
      reads += 1;
      return new Uint8Array(1);
    };
    await expect(createManifest('big', files, read)).rejects.toThrow(/list of 2,000 files and their names takes 5 MiB, more than one item can describe \(4 MiB\): share it in parts/);
    expect(reads).toBe(0);
  });
});

describe('pathProblem', () => {
  it.each([
    'notes.txt',
    'photos/2024/a b.jpg',
    'Ünïcödé ✓/日本/ファイル.txt',
    ' leading and trailing spaces /x ',
    '.hidden/.DS_Store',
    'a..b/c...',
    'emoji 🎉/x',
  ])('lets a real folder path through: %j', async (path) => {
    expect(pathProblem(path)).toBeNull();
    const signed = await manifestFor([3], [path]);
    expect((await parseManifest(signed.bytes, signed.itemId))?.manifest.files[0]?.path).toBe(path);
  });

  it.each([
    ['', 'empty'],
    ['a\\b', 'backslash'],
    ['a\0b', 'nul'],
    ['/abs', 'bad-part'],
    ['a//b', 'bad-part'],
    ['a/', 'bad-part'],
    ['./a', 'bad-part'],
    ['a/../b', 'bad-part'],
    ['x'.repeat(4097), 'too-long'],
  ])('says why %j cannot be shared', (path, reason) => {
    expect(pathProblem(path)).toBe(reason);
  });
});
