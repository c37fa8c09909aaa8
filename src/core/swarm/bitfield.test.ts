import { describe, expect, it } from 'vitest';
import { createBitfield, fullBitfield, parseBitfield } from './bitfield';

describe('bitfield', () => {
  it('sets, counts and serializes most-significant bit first', () => {
    const field = createBitfield(10);
    field.set(0);
    field.set(9);
    field.set(9);
    expect(field.count()).toBe(2);
    expect(field.has(9) && !field.has(1) && !field.has(10) && !field.has(-1)).toBe(true);
    expect(field.toBytes()).toEqual(new Uint8Array([0b10000000, 0b01000000]));
    expect(() => field.set(10)).toThrow(RangeError);
  });

  it.each([
    [10, [0xff, 0xc0], 10],
    [0, [], 0],
    [8, [0x81], 2],
  ])('parses %i bits from %j', (size, bytes, count) => {
    expect(parseBitfield(size, new Uint8Array(bytes))?.count()).toBe(count);
  });

  it.each([
    [10, [0xff]],
    [10, [0xff, 0xc0, 0]],
    [10, [0xff, 0xe0]],
  ])('rejects %i bits from %j (length or spare bits)', (size, bytes) => {
    expect(parseBitfield(size, new Uint8Array(bytes))).toBeNull();
  });

  it('builds a full field', () => {
    expect(fullBitfield(13).count()).toBe(13);
  });
});
