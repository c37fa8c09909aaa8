import { describe, expect, it } from 'vitest';
import { readZipDirectory } from '../../test-support/zip-reader';
import { utf8Encoder } from '../bytes';
import { layoutZip, type ZipLayout } from '../../test-support/zip-layout';
import { centralDirectoryHeader, dosStamp, endRecords, localFileHeader, type ZipEntryInfo } from './layout';

const stamp = dosStamp(new Date(2024, 5, 30, 13, 45, 58));
const GiB = 2 ** 30;
const entry = (path: string, size: number, crc = 0x12345678): ZipEntryInfo => ({ name: utf8Encoder.encode(path), size, crc });

/** A layout as a random-access archive whose file data reads as zeros: big archives without their bytes. */
function reader(layout: ZipLayout, entries: readonly ZipEntryInfo[]) {
  const segments: { at: number; bytes: Uint8Array }[] = [];
  let at = 0;
  for (const part of layout.parts) {
    if (part instanceof Uint8Array) {
      segments.push({ at, bytes: part });
      at += part.length;
    } else {
      at += entries[part.entry]?.size ?? 0;
    }
  }
  expect(at).toBe(layout.totalBytes);
  return (offset: number, length: number): Uint8Array => {
    const out = new Uint8Array(length);
    let low = 0; // the first segment that ends after `offset`, by binary search (segments are in order)
    for (let high = segments.length; low < high; ) {
      const mid = (low + high) >>> 1;
      const s = segments[mid] as { at: number; bytes: Uint8Array };
      if (s.at + s.bytes.length <= offset) low = mid + 1;
      else high = mid;
    }
    for (let i = low; i < segments.length; i++) {
      const s = segments[i] as { at: number; bytes: Uint8Array };
      if (s.at >= offset + length) break;
      const from = Math.max(offset, s.at);
      const to = Math.min(offset + length, s.at + s.bytes.length);
      out.set(s.bytes.subarray(from - s.at, to - s.at), from - offset);
    }
    return out;
  };
}

describe('dosStamp', () => {
  it.each([
    [new Date(2024, 5, 30, 13, 45, 58), { time: (13 << 11) | (45 << 5) | 29, date: (44 << 9) | (6 << 5) | 30 }],
    [new Date(1980, 0, 1, 0, 0, 0), { time: 0, date: (1 << 5) | 1 }],
    [new Date(1970, 0, 1, 12, 0, 0), { time: 0, date: (1 << 5) | 1 }],
    [new Date(2200, 0, 1), { time: 0, date: (127 << 9) | (1 << 5) | 1 }],
  ])('of %s', (when, expected) => {
    expect(dosStamp(when)).toEqual(expected);
  });
});

describe('layoutZip', () => {
  it.each([
    ['a small entry', 10, false, false],
    ['the largest classic size', 0xffff_fffe, false, true],
    ['a size equal to the marker', 0xffff_ffff, true, true],
    ['a 5 GiB entry', 5 * GiB + 3, true, true],
  ])('%s: ZIP64 sizes %s, ZIP64 offsets after it %s', async (_label, size, zip64, after) => {
    const entries = [entry('big/ü file.bin', size), entry('after.txt', 4)];
    const layout = layoutZip(entries, stamp);
    const parsed = await readZipDirectory(reader(layout, entries), layout.totalBytes);
    expect(parsed.entries.map((e) => [e.path, e.size, e.crc, e.zip64])).toEqual([
      ['big/ü file.bin', size, 0x12345678, zip64],
      ['after.txt', 4, 0x12345678, after], // its local header starts past 4 GiB
    ]);
    expect(parsed.entries[1]?.localHeaderOffset).toBe(30 + (entries[0]?.name.length ?? 0) + (zip64 ? 20 : 0) + size);
    expect(parsed.entries.every((e) => e.flags === 0x0800 && e.method === 0)).toBe(true);
    expect(parsed.entries[0]?.versionNeeded).toBe(zip64 ? 45 : 20);
    expect(parsed.zip64End).toBe(after); // so does the directory
  });

  it('puts a local header past 4 GiB in the ZIP64 extra of the central header only', () => {
    const header = centralDirectoryHeader(entry('x', 1), 6 * GiB, stamp);
    const view = new DataView(header.buffer);
    expect(view.getUint32(20, true)).toBe(1);
    expect(view.getUint32(42, true)).toBe(0xffff_ffff);
    expect(view.getUint16(30, true)).toBe(12); // extra: id, length, one 64-bit value
    expect(view.getUint16(46 + 1, true)).toBe(1);
    expect(view.getBigUint64(46 + 1 + 4, true)).toBe(BigInt(6 * GiB));
    expect(localFileHeader(entry('x', 1), stamp).length).toBe(30 + 1); // no extra in the local header
  });

  it.each([
    [0, false],
    [0xfffe, false],
    [0xffff, true],
    [70_000, true],
  ])('with %i entries: ZIP64 end records %s', (count, zip64) => {
    const end = endRecords({ entryCount: count, offset: 1000, size: 46 * count });
    expect(end.length).toBe(zip64 ? 56 + 20 + 22 : 22);
    const view = new DataView(end.buffer);
    const classic = end.length - 22;
    expect(view.getUint16(classic + 10, true)).toBe(Math.min(count, 0xffff));
    if (zip64) {
      expect(view.getBigUint64(32, true)).toBe(BigInt(count));
      expect(view.getBigUint64(64, true)).toBe(BigInt(1000 + 46 * count)); // locator -> ZIP64 end record
    }
  });

  it('lays out many entries whose directory needs ZIP64, without their data', async () => {
    const entries = Array.from({ length: 0x1_0005 }, (_, i) => entry(`d/${i}`, i % 3));
    const layout = layoutZip(entries, stamp);
    const parsed = await readZipDirectory(reader(layout, entries), layout.totalBytes);
    expect(parsed.zip64End).toBe(true);
    expect(parsed.entries.length).toBe(entries.length);
    expect(parsed.entries[0x1_0004]).toMatchObject({ path: 'd/65540', size: 65540 % 3 });
  });
});
