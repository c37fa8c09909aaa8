import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, createWriteStream, mkdtempSync, openSync, readFileSync, rmSync, truncateSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { afterAll, describe, expect, it } from 'vitest';
import { readZipDirectory } from '../../test-support/zip-reader';
import { crc32 } from './crc32';
import { layoutZip } from '../../test-support/zip-layout';
import { utf8Encoder } from '../bytes';
import { dosStamp } from './layout';
import { createZipBuilder, zipSegmentBytes } from './zip-builder';

/** Bytes per read in the 4 GiB test's CRC over zeros. */
const crcReadBytes = 1024 * 1024;

/** Under CI every check runs: a missing `unzip` fails there instead of skipping (.ci/run installs it). */
const inCi = process.env.CI === 'true';
/** Whether to check with the system's Info-ZIP `unzip`, an independent reader: always under CI; on a laptop only where it is installed. */
const checksWithUnzip = inCi || spawnSync('unzip', ['-v']).status === 0;
/** UTF-8 locale so unzip writes names as they are. */
const unzipEnv = { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
/** A real 4 GiB + 1 entry: its CRC and unzip's check take ~20 s here, so a laptop opts in (SWARMDROP_ZIP64_BIG=1); CI always runs it. */
const bigZip64 = inCi || process.env.SWARMDROP_ZIP64_BIG === '1';

const dir = mkdtempSync(join(tmpdir(), 'swarmdrop-zip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const when = new Date(2024, 5, 30, 13, 45, 58);
/** Compared by digest: a deep equality of megabyte arrays takes seconds. */
const digest = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const random = (length: number): Uint8Array<ArrayBuffer> => {
  const bytes = new Uint8Array(length);
  for (let at = 0; at < length; at += 65536) crypto.getRandomValues(bytes.subarray(at, at + 65536));
  return bytes;
};
/** An archive of `files`: those up to `copyMaxBytes` as bytes, bigger ones as Blobs (as a save does). */
function buildZip(files: readonly (readonly [string, Uint8Array])[], copyMaxBytes = 1000, segmentBytes = zipSegmentBytes): Blob {
  const zip = createZipBuilder(when, segmentBytes);
  for (const [path, bytes] of files) {
    if (bytes.length <= copyMaxBytes) zip.addBytes(path, bytes, crc32(bytes));
    else zip.addBlob(path, new Blob([bytes as Uint8Array<ArrayBuffer>]), crc32(bytes));
  }
  return zip.finish();
}

async function writeBlob(blob: Blob, name: string): Promise<string> {
  const path = join(dir, name);
  await pipeline(Readable.fromWeb(blob.stream() as NodeReadableStream<Uint8Array>), createWriteStream(path));
  return path;
}

const cases: [string, [string, Uint8Array][]][] = [
  ['one empty file', [['empty', new Uint8Array(0)]]],
  ['empty files in folders', [['trip/empty', new Uint8Array(0)], ['trip/sub/also empty', new Uint8Array(0)], ['trip/x', new Uint8Array([1])]]],
  ['a file of exactly one chunk', [['one-chunk.bin', random(crcReadBytes)]]],
  ['a file of two chunks and a byte, and a small one', [['photos/a b.bin', random(2 * crcReadBytes + 1)], ['notes.txt', new TextEncoder().encode('hi\n')]]],
  ['UTF-8 names', [['trip/photos/ü.txt', new TextEncoder().encode('ü')], ['日本 ✓/Ünïcödé name.txt', random(100)], ['emoji 🎉.bin', random(3)]]],
];

describe('createZipBuilder', () => {
  it.each(cases)('%s: every entry reads back by path, size, CRC and bytes', async (label, files) => {
    const zip = buildZip(files);
    expect(zip.type).toBe('application/zip');
    const archive = new Uint8Array(await zip.arrayBuffer());
    const { entries, zip64End } = await readZipDirectory((at, length) => archive.subarray(at, at + length), archive.length);
    expect(zip64End).toBe(false);
    expect(entries.map((e) => e.path)).toEqual(files.map(([path]) => path));
    entries.forEach((entry, i) => {
      const original = files[i]?.[1] ?? new Uint8Array();
      expect(entry).toMatchObject({ size: original.length, crc: crc32(original), method: 0, flags: 0x0800, zip64: false });
      expect(digest(archive.subarray(entry.dataOffset, entry.dataOffset + entry.size))).toBe(digest(original));
    });
    // Byte for byte the reference layout (headers, then the data, then the directory).
    const infos = files.map(([path, bytes]) => ({ name: utf8Encoder.encode(path), size: bytes.length, crc: crc32(bytes) }));
    const reference = layoutZip(infos, dosStamp(when)).parts.map((part) => (part instanceof Uint8Array ? part : (files[part.entry]?.[1] ?? new Uint8Array())));
    expect(digest(archive)).toBe(digest(new Uint8Array(await new Blob(reference as Uint8Array<ArrayBuffer>[]).arrayBuffer())));

    if (!checksWithUnzip) return;
    const path = await writeBlob(zip, `${label}.zip`);
    expect(execFileSync('unzip', ['-t', path], { env: unzipEnv }).toString()).toContain('No errors detected');
    const out = join(dir, `${label}-out`);
    execFileSync('unzip', ['-q', path, '-d', out], { env: unzipEnv });
    for (const [name, bytes] of files) expect(digest(readFileSync(join(out, name)))).toBe(digest(bytes));
  });

  it('writes an archive of no entries', async () => {
    const archive = new Uint8Array(await buildZip([]).arrayBuffer());
    expect((await readZipDirectory((at, length) => archive.subarray(at, at + length), archive.length)).entries).toEqual([]);
  });

  it('copies small entries through small segments, and keeps entries bigger than a segment whole', async () => {
    const files: [string, Uint8Array][] = Array.from({ length: 40 }, (_, i) => [`s/${i}`, random(100 + i * 7)]);
    files.splice(20, 0, ['big', random(5000)]);
    const archive = new Uint8Array(await buildZip(files, 10_000, 1024).arrayBuffer());
    const { entries } = await readZipDirectory((at, length) => archive.subarray(at, at + length), archive.length);
    expect(entries.map((e) => [e.path, e.size, e.crc])).toEqual(files.map(([path, bytes]) => [path, bytes.length, crc32(bytes)]));
    entries.forEach((entry, i) => expect(digest(archive.subarray(entry.dataOffset, entry.dataOffset + entry.size))).toBe(digest(files[i]?.[1] ?? new Uint8Array())));
  });

  it.skipIf(!checksWithUnzip)('writes ZIP64 end records that unzip accepts for more than 65,535 entries', async () => {
    const count = 0x1_0000 + 5;
    const zip = buildZip(Array.from({ length: count }, (_, i) => [`many/${i}.txt`, new TextEncoder().encode(i % 100 === 0 ? String(i) : '')]));
    const path = await writeBlob(zip, 'many.zip');
    const archive = new Uint8Array(readFileSync(path));
    const { entries, zip64End } = await readZipDirectory((at, length) => archive.subarray(at, at + length), archive.length);
    expect([entries.length, zip64End]).toEqual([count, true]);
    expect(execFileSync('unzip', ['-t', path], { env: unzipEnv, maxBuffer: 64 << 20 }).toString()).toContain('No errors detected');
    expect(execFileSync('unzip', ['-p', path, 'many/65500.txt'], { env: unzipEnv }).toString()).toBe('65500');
  }, 60_000);

  // Node 20's file-backed Blobs misreport sizes past 4 GiB (openAsBlob of 4 GiB + 1 says 1 byte), so
  // this case writes the reference layout itself: headers at their offsets of a sparse file whose
  // data is all zeros (holes), CRC over zeros — the layout the builder matches byte for byte above.
  it.skipIf(!checksWithUnzip || !bigZip64)('lays out a 4 GiB + 1 entry with ZIP64 sizes that unzip accepts', () => {
    const bigBytes = 4 * 2 ** 30 + 1;
    const zeros = new Uint8Array(crcReadBytes);
    let crc = 0;
    for (let at = 0; at < bigBytes; at += crcReadBytes) crc = crc32(zeros.subarray(0, Math.min(crcReadBytes, bigBytes - at)), crc);
    const after = new TextEncoder().encode('after');
    const entries = [
      { name: new TextEncoder().encode('big/zeros.bin'), size: bigBytes, crc },
      { name: new TextEncoder().encode('big/after.txt'), size: after.length, crc: crc32(after) },
    ];
    const layout = layoutZip(entries, dosStamp(when));
    const path = join(dir, 'big.zip');
    const fd = openSync(path, 'w');
    let at = 0;
    for (const part of layout.parts) {
      const bytes = part instanceof Uint8Array ? part : part.entry === 1 ? after : null;
      if (bytes) writeSync(fd, bytes, 0, bytes.length, at);
      at += part instanceof Uint8Array ? part.length : (entries[part.entry]?.size ?? 0);
    }
    closeSync(fd);
    truncateSync(path, layout.totalBytes);
    expect(execFileSync('unzip', ['-t', path], { env: unzipEnv }).toString()).toContain('No errors detected');
    expect(execFileSync('unzip', ['-p', path, 'big/after.txt'], { env: unzipEnv }).toString()).toBe('after');
    expect(execFileSync('unzip', ['-Z', '-l', path], { env: unzipEnv }).toString()).toContain(String(bigBytes));
    rmSync(path);
  }, 300_000);
});
