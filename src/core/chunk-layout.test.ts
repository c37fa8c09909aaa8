import { describe, expect, it } from 'vitest';
import { chunkAtFileByte, chunkContentStart, chunkLength, chunkSpans, fileByteAfterChunk, fileChunkRange, filesChunkRange, planLayout, type LayoutKind } from './chunk-layout';

/** Sizes drawn from a fixed seed: many small files, zero-byte ones, and a few over a chunk. */
function sizesFrom(seed: number, count: number, chunkBytes: number): number[] {
  let x = seed;
  const next = (): number => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
  return Array.from({ length: count }, () => {
    const roll = next();
    if (roll < 0.1) return 0;
    if (roll < 0.2) return Math.floor(next() * 3 * chunkBytes);
    return Math.floor(next() * chunkBytes * 0.3);
  });
}

describe('chunk layout', () => {
  it('packs 10,000 files of 10 KB into as many chunks as one file of the same size', () => {
    const layout = planLayout('packed', Array.from({ length: 10_000 }, () => 10_000), 1 << 20);
    expect(layout.chunkCount).toBe(Math.ceil(100_000_000 / (1 << 20)));
    expect(planLayout('aligned', Array.from({ length: 10_000 }, () => 10_000), 1 << 20).chunkCount).toBe(10_000);
  });

  it.each<[LayoutKind, number]>([
    ['packed', 1],
    ['packed', 2],
    ['aligned', 3],
    ['aligned', 4],
  ])('%s layout (seed %i): the chunks in order are the files back to back', (kind, seed) => {
    const chunkBytes = 1000;
    const sizes = sizesFrom(seed, 300, chunkBytes);
    const layout = planLayout(kind, sizes, chunkBytes);
    // Walk every chunk's spans: together they must visit each byte of each file once, in order.
    const cursor = { file: 0, offset: 0, content: 0 };
    const chunksOfFile = sizes.map(() => new Set<number>());
    for (let i = 0; i < layout.chunkCount; i++) {
      expect(chunkContentStart(layout, i)).toBe(cursor.content);
      const spans = chunkSpans(layout, i);
      expect(spans.length).toBeGreaterThan(0);
      let inChunk = 0;
      for (const [k, span] of spans.entries()) {
        // A file byte maps back to this chunk at this place; a span the file goes on past ends the chunk.
        expect(chunkAtFileByte(layout, span.fileIndex, span.offset)).toEqual({ chunk: i, offset: inChunk });
        expect(chunkAtFileByte(layout, span.fileIndex, span.offset + span.length - 1)).toEqual({ chunk: i, offset: inChunk + span.length - 1 });
        if (span.offset + span.length < (sizes[span.fileIndex] ?? 0)) {
          expect(k).toBe(spans.length - 1);
          expect(fileByteAfterChunk(layout, span.fileIndex, i)).toBe(span.offset + span.length);
        }
        inChunk += span.length;
        while (cursor.file < sizes.length && cursor.offset === sizes[cursor.file]) {
          cursor.file += 1;
          cursor.offset = 0;
        }
        expect(span.fileIndex).toBe(cursor.file);
        expect(span.offset).toBe(cursor.offset);
        cursor.offset += span.length;
        cursor.content += span.length;
        chunksOfFile[span.fileIndex]?.add(i);
      }
      const length = chunkLength(layout, i);
      expect(length).toBe(spans.reduce((sum, s) => sum + s.length, 0));
      expect(length).toBeLessThanOrEqual(chunkBytes);
      if (kind === 'aligned') expect(new Set(spans.map((s) => s.fileIndex)).size).toBe(1);
    }
    expect(cursor.content).toBe(layout.totalBytes);
    sizes.forEach((_, f) => {
      const { first, end } = fileChunkRange(layout, f);
      const expected = [...(chunksOfFile[f] ?? [])];
      expect(Array.from({ length: end - first }, (_, k) => first + k)).toEqual(expected);
    });
  });

  it('gives the chunk range of a run of files, and none for empty files', () => {
    const layout = planLayout('packed', [0, 1500, 0, 600, 0], 1000);
    expect(fileChunkRange(layout, 0)).toEqual({ first: 0, end: 0 });
    expect(fileChunkRange(layout, 3)).toEqual({ first: 1, end: 3 });
    expect(filesChunkRange(layout, 0, 5)).toEqual({ first: 0, end: 3 });
    expect(filesChunkRange(layout, 3, 4)).toEqual({ first: 1, end: 3 });
    expect(filesChunkRange(layout, 4, 5)).toEqual({ first: 0, end: 0 });
    expect(() => fileChunkRange(layout, 5)).toThrow(RangeError);
  });
});
