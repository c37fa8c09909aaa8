import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { utf8Encoder } from '../bytes';
import { crc32 } from './crc32';

/** Node's own CRC-32 (zlib), where this Node has it (20.15+), as an independent reference. */
const zlibCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

describe('crc32', () => {
  it.each([
    ['', 0x00000000],
    ['a', 0xe8b7be43],
    ['abc', 0x352441c2],
    ['123456789', 0xcbf43926],
    ['The quick brown fox jumps over the lazy dog', 0x414fa339],
  ])('of %j is %#x', (text, expected) => {
    expect(crc32(utf8Encoder.encode(text))).toBe(expected);
  });

  it('continues across pieces of any length', () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 131 + 7) & 0xff);
    const whole = crc32(bytes);
    for (const cut of [0, 1, 7, 8, 9, 500, 999, 1000]) {
      expect(crc32(bytes.subarray(cut), crc32(bytes.subarray(0, cut)))).toBe(whole);
    }
  });

  it.skipIf(!zlibCrc32)('agrees with zlib on random data of every length mod 8', () => {
    for (let length = 0; length < 64; length++) {
      const bytes = crypto.getRandomValues(new Uint8Array(length * 37 + (length % 8)));
      expect(crc32(bytes)).toBe(zlibCrc32?.(bytes));
    }
  });
});
