import { describe, expect, it } from 'vitest';
import { batchTypeByte, framesOfMessage, packFrames, unpackFrames } from './batch';
import { encodeFrame, decodeFrame } from './codec';

const id = 'ab'.repeat(32);

describe('frame batches', () => {
  it('round-trips frames in order, as views that decode to the same messages', () => {
    const frames = [
      encodeFrame({ type: 'get-manifest', itemId: id }),
      encodeFrame({ type: 'request', requestId: 7, itemId: id, chunkIndex: 3 }),
      encodeFrame({ type: 'data', requestId: 7, offset: 0, bytes: new Uint8Array([1, 2, 3]) }),
    ];
    const batch = packFrames(frames);
    expect(batch[0]).toBe(batchTypeByte);
    expect(batch.length).toBe(1 + frames.reduce((sum, f) => sum + 4 + f.length, 0));
    const unpacked = unpackFrames(batch);
    expect(unpacked?.map((f) => [...f])).toEqual(frames.map((f) => [...f]));
    expect(unpacked?.map(decodeFrame)).toEqual(frames.map(decodeFrame));
  });

  it('carries a frame that begins with the batch byte unchanged, one level deep', () => {
    const lookalike = packFrames([new Uint8Array([5, 5])]);
    expect(unpackFrames(packFrames([lookalike]))?.map((f) => [...f])).toEqual([[...lookalike]]);
  });

  it('never packs an empty frame', () => {
    expect(() => packFrames([new Uint8Array([1]), new Uint8Array(0)])).toThrow(/non-empty/);
  });

  it('refuses malformed batches as a whole', () => {
    const one = packFrames([new Uint8Array([5, 1]), new Uint8Array([6])]);
    const cases: Record<string, Uint8Array> = {
      'not a batch': new Uint8Array([5, 0, 0, 0, 1, 5]),
      'nothing packed': new Uint8Array([batchTypeByte]),
      'a length past the end': one.subarray(0, one.length - 1),
      'part of a length': new Uint8Array([batchTypeByte, 0, 0]),
      'an empty frame': new Uint8Array([batchTypeByte, 0, 0, 0, 0]),
      'a huge length': new Uint8Array([batchTypeByte, 0xff, 0xff, 0xff, 0xff, 1]),
    };
    for (const [what, message] of Object.entries(cases)) expect(unpackFrames(message), what).toBeNull();
  });

  it('unpacks a batch that is itself a view into a bigger buffer', () => {
    const batch = packFrames([new Uint8Array([4, 4]), new Uint8Array([7])]);
    const host = new Uint8Array(batch.length + 10);
    host.set(batch, 5);
    expect(unpackFrames(host.subarray(5, 5 + batch.length))?.map((f) => [...f])).toEqual([[4, 4], [7]]);
  });
});

describe('what a receiving link hands on', () => {
  it('a batch as its frames, any other message as itself', () => {
    const request = encodeFrame({ type: 'request', requestId: 1, itemId: id, chunkIndex: 0 });
    expect(framesOfMessage(packFrames([request, request]))).toHaveLength(2);
    expect(framesOfMessage(request)).toEqual([request]);
  });

  it('a malformed batch whole, which the codec refuses (a strike)', () => {
    const broken = new Uint8Array([batchTypeByte, 0, 0, 0, 9, 6]);
    const frames = framesOfMessage(broken);
    expect(frames).toEqual([broken]);
    expect(frames.map(decodeFrame)).toEqual([null]);
  });
});
