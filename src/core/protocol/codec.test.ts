import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame, maxDataPayloadBytes, maxManifestPartBytes } from './codec';
import { maxFrameBytes, maxItemIdsPerFrame } from './limits';
import type { WireMessage } from './messages';

const id = 'ab'.repeat(32);
const id2 = '01'.repeat(32);

describe('wire codec', () => {
  const messages: WireMessage[] = [
    { type: 'items', itemIds: [] },
    { type: 'items', itemIds: [id, id2] },
    { type: 'get-manifest', itemId: id },
    { type: 'manifest-part', itemId: id, totalBytes: 10, offset: 4, bytes: new Uint8Array([1, 2, 3]) },
    { type: 'bitfield', itemId: id, bits: new Uint8Array([0b10100000]) },
    { type: 'have', itemId: id, chunkIndex: 0xffffffff },
    { type: 'request', requestId: 7, itemId: id2, chunkIndex: 3 },
    { type: 'cancel', requestId: 7 },
    { type: 'reject', requestId: 1 },
    { type: 'data', requestId: 9, offset: 65536, bytes: new Uint8Array(maxDataPayloadBytes).fill(5) },
    { type: 'data', requestId: 9, offset: 0, bytes: new Uint8Array(0) },
  ];
  it.each(messages.map((m) => [m.type, m] as const))('round-trips %s', (_type, message) => {
    const frame = encodeFrame(message);
    expect(frame.length).toBeLessThanOrEqual(maxFrameBytes);
    expect(decodeFrame(frame)).toEqual(message);
  });

  it('refuses to encode what it could not decode', () => {
    expect(() => encodeFrame({ type: 'data', requestId: 1, offset: 0, bytes: new Uint8Array(maxDataPayloadBytes + 1) })).toThrow();
    expect(() => encodeFrame({ type: 'have', itemId: 'zz', chunkIndex: 0 })).toThrow(/item id/);
    expect(() => encodeFrame({ type: 'cancel', requestId: -1 })).toThrow(RangeError);
    expect(() => encodeFrame({ type: 'items', itemIds: Array(maxItemIdsPerFrame + 1).fill(id) })).toThrow();
    const part = { type: 'manifest-part', itemId: id, totalBytes: 1e6, offset: 0, bytes: new Uint8Array(maxManifestPartBytes + 1) } as const;
    expect(() => encodeFrame(part)).toThrow();
  });

  const valid = (m: WireMessage) => encodeFrame(m);
  it.each([
    ['empty', new Uint8Array(0)],
    ['unknown type 0', new Uint8Array([0, 1, 2])],
    ['unknown type 200', new Uint8Array([200])],
    ['oversized', new Uint8Array(maxFrameBytes + 1).fill(8)],
    ['items count larger than body', new Uint8Array([1, 0, 2, ...new Uint8Array(32)])],
    ['items count smaller than body', new Uint8Array([1, 0, 0, 9])],
    ['truncated get-manifest', valid({ type: 'get-manifest', itemId: id }).subarray(0, 20)],
    ['have with extra byte', new Uint8Array([...valid({ type: 'have', itemId: id, chunkIndex: 1 }), 0])],
    ['truncated request', valid({ type: 'request', requestId: 1, itemId: id, chunkIndex: 1 }).subarray(0, 40)],
    ['cancel too long', new Uint8Array([7, 0, 0, 0, 1, 0])],
    ['data header only partly there', new Uint8Array([8, 0, 0])],
    ['manifest part past its total', (() => {
      const f = valid({ type: 'manifest-part', itemId: id, totalBytes: 3, offset: 0, bytes: new Uint8Array(3) });
      f[40] = 1; // offset 1 + 3 bytes > total 3
      return f;
    })()],
  ])('rejects %s', (_label, frame) => {
    expect(decodeFrame(frame)).toBeNull();
  });

  it('never throws on random garbage', () => {
    let seed = 42;
    for (let n = 0; n < 2000; n++) {
      const frame = new Uint8Array((n * 37) % 300);
      for (let i = 0; i < frame.length; i++) frame[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
      if (frame.length > 0) frame[0] = n % 12;
      expect(() => decodeFrame(frame)).not.toThrow();
    }
  });
});
