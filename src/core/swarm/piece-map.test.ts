import { describe, expect, it } from 'vitest';
import { createBitfield } from './bitfield';
import { summarizePieces } from './piece-map';

function source(chunkCount: number, held: number[], inFlight: number[], availability: (chunk: number) => number) {
  const have = createBitfield(chunkCount);
  for (const chunk of held) have.set(chunk);
  return { chunkCount, have, inFlight: new Set(inFlight), availability: Uint16Array.from({ length: chunkCount }, (_, i) => availability(i)) };
}

describe('piece map summary', () => {
  it('keeps one bin per chunk when the chunks are few', () => {
    const map = summarizePieces(source(4, [0, 3], [1], (i) => i), 100);
    expect(map).toEqual({ chunkCount: 4, heldChunks: 2, held: [1, 0, 0, 1], inFlight: [0, 1, 0, 0], peers: [0, 1, 2, 3] });
  });

  it('gathers many chunks into bins: shares held and on their way, mean holders', () => {
    // 100 GiB in 16 MiB chunks: 6,400 chunks in 200 bins of 32.
    const held = Array.from({ length: 16 }, (_, i) => i); // half of bin 0
    const map = summarizePieces(source(6400, held, [32, 33], () => 3), 200);
    expect(map.held).toHaveLength(200);
    expect(map.held[0]).toBe(0.5);
    expect(map.inFlight[1]).toBe(2 / 32);
    expect(map.peers.every((mean) => mean === 3)).toBe(true);
    expect(map.heldChunks).toBe(16);
  });

  it('counts a held chunk once, not as on its way too, and copes with no chunks or no bins', () => {
    expect(summarizePieces(source(2, [0], [0, 1], () => 0), 2).inFlight).toEqual([0, 1]);
    expect(summarizePieces(source(0, [], [], () => 0), 50)).toEqual({ chunkCount: 0, heldChunks: 0, held: [], inFlight: [], peers: [] });
    expect(summarizePieces(source(3, [1], [], () => 1), 0).heldChunks).toBe(1);
  });
});
