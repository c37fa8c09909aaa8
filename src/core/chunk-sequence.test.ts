import { describe, expect, it } from 'vitest';
import { openBlobStream, type ByteStreamReader } from './blob-stream';
import { planLayout, type ChunkLayout } from './chunk-layout';
import { longFileRuns, readAheadBytes, readChunksInOrder, runFileRange, type ChunkRun, type ChunkSource } from './chunk-sequence';
import { createManifest, readSpansByRange } from './manifest';

/** Files of the given sizes with distinct bytes, and their content back to back. */
function filesOf(sizes: readonly number[]): { files: Uint8Array[]; content: Uint8Array } {
  let seed = 7;
  const files = sizes.map((size) => Uint8Array.from({ length: size }, () => (seed = (seed * 31 + 11) % 251)));
  const content = new Uint8Array(sizes.reduce((a, b) => a + b, 0));
  let at = 0;
  for (const file of files) {
    content.set(file, at);
    at += file.length;
  }
  return { files, content };
}

/** A source over in-memory files that counts its reads; streams reuse one buffer, as Blob streams do. */
function countingSource(files: readonly Uint8Array[], options: { runs?: readonly ChunkRun[]; failStreamAfter?: number; noStreams?: boolean } = {}) {
  const reads: number[] = [];
  const opened: ChunkRun[] = [];
  const byRange = readSpansByRange(async (f, offset, length) => (files[f] ?? new Uint8Array()).slice(offset, offset + length));
  const source: ChunkSource = {
    read: (spans) => {
      reads.push(spans[0]?.fileIndex ?? -1);
      return byRange(spans);
    },
    runs: () => options.runs ?? [],
    openRun(layout: ChunkLayout, run: ChunkRun, maxLength: number): ByteStreamReader | null {
      opened.push(run);
      if (options.noStreams) return null;
      const range = runFileRange(layout, run);
      const file = range ? files[range.fileIndex] : undefined;
      if (!range || !file) return null;
      let at = range.start;
      let served = 0;
      const buffer = new Uint8Array(maxLength);
      return {
        async read(length) {
          if (options.failStreamAfter !== undefined && served >= options.failStreamAfter) throw new Error('disk gone');
          buffer.set(file.subarray(at, at + length));
          at += length;
          served++;
          return buffer.subarray(0, length);
        },
        close: () => undefined,
      };
    },
  };
  return { source, reads, opened };
}

async function readAll(source: ChunkSource, layout: ChunkLayout): Promise<Uint8Array[]> {
  const sequence = readChunksInOrder(source, layout);
  const out: Uint8Array[] = [];
  for (let i = 0; i < layout.chunkCount; i++) out.push((await sequence.next()).slice());
  await expect(sequence.next()).rejects.toThrow(RangeError);
  sequence.close();
  return out;
}

const sizes = [9000, 300, 200, 100, 6000];
const layout = planLayout('packed', sizes, 1000);
const expectedChunks = (content: Uint8Array): Uint8Array[] =>
  Array.from({ length: layout.chunkCount }, (_, i) => content.slice(i * 1000, Math.min(content.length, (i + 1) * 1000)));

describe('longFileRuns', () => {
  it('streams the chunks that lie inside one long file, and caps the runs', () => {
    // Chunks 0–8 are file 0; chunk 9 holds files 1–3 and file 4's start; chunks 10–14 are file 4 (its last partial).
    expect(longFileRuns(layout, 5000, 10)).toEqual([
      { first: 0, end: 9 },
      { first: 10, end: 16 },
    ]);
    expect(longFileRuns(layout, 5000, 1)).toEqual([{ first: 0, end: 9 }]);
    expect(longFileRuns(layout, 5000, 10).map((run) => runFileRange(layout, run))).toEqual([
      { fileIndex: 0, start: 0, end: 9000 },
      { fileIndex: 4, start: 400, end: 6000 },
    ]);
    expect(longFileRuns(layout, 10_000, 10)).toEqual([]);
    expect(longFileRuns(planLayout('aligned', [2500, 10, 2500], 1000), 2000, 10)).toEqual([
      { first: 0, end: 3 },
      { first: 4, end: 7 },
    ]);
  });
});

describe('readChunksInOrder', () => {
  it('gives every chunk in order: long files through their stream, the rest one read per chunk', async () => {
    const { files, content } = filesOf(sizes);
    const runs = longFileRuns(layout, 5000, 10);
    const { source, reads, opened } = countingSource(files, { runs });
    expect(await readAll(source, layout)).toEqual(expectedChunks(content));
    expect(opened).toEqual(runs);
    expect(reads).toEqual([1]); // chunk 9 only (its spans start in file 1)
  });

  it('reads ahead of the chunk asked, by bytes, and never what a stream delivers', async () => {
    const files = [new Uint8Array(10 * readAheadBytes)];
    const big = planLayout('packed', [10 * readAheadBytes], readAheadBytes / 4);
    const { source, reads } = countingSource(files);
    const sequence = readChunksInOrder(source, big);
    await sequence.next();
    expect(reads).toHaveLength(1 + 4); // the chunk asked, and 4 MiB after it
    await sequence.next();
    expect(reads).toHaveLength(1 + 5);
    sequence.close();

    const streamed = countingSource(files, { runs: [{ first: 2, end: big.chunkCount }] });
    const withRun = readChunksInOrder(streamed.source, big);
    await withRun.next();
    expect(streamed.reads).toHaveLength(2); // chunks 0 and 1; the rest is the stream's
    withRun.close();
  });

  it('reads the rest of a run chunk by chunk when its stream fails, or when it cannot be opened', async () => {
    const { files, content } = filesOf(sizes);
    const runs = longFileRuns(layout, 5000, 10);
    const failing = countingSource(files, { runs, failStreamAfter: 3 });
    expect(await readAll(failing.source, layout)).toEqual(expectedChunks(content));
    // Run 1 failed at its 4th chunk (6 of 9 read again), run 2 at its 4th (3 of 6), plus chunk 9.
    expect(failing.reads).toHaveLength(6 + 3 + 1);

    const unopened = countingSource(files, { runs, noStreams: true });
    expect(await readAll(unopened.source, layout)).toEqual(expectedChunks(content));
    expect(unopened.reads).toHaveLength(layout.chunkCount);
  });

  it('fails with the read’s own error when a chunk cannot be read at all', async () => {
    const source: ChunkSource = { read: () => Promise.reject(new Error('file removed')) };
    await expect(readChunksInOrder(source, layout).next()).rejects.toThrow('file removed');
  });
});

describe('createManifest over a chunk sequence', () => {
  it('gives the same manifest through streams into one reused buffer as through one read per chunk', async () => {
    const { files } = filesOf(sizes);
    const entries = sizes.map((size, i) => ({ path: `f${i}`, size, type: '' }));
    const plain = await createManifest('x', entries, readSpansByRange(async (f, o, l) => (files[f] ?? new Uint8Array()).slice(o, o + l)), 1000);
    const { source } = countingSource(files, { runs: longFileRuns(layout, 5000, 10) });
    expect((await createManifest('x', entries, source, 1000)).itemId).toBe(plain.itemId);
  });

  it('gives the same manifest through a real Blob byte stream', async () => {
    const { files } = filesOf(sizes);
    const entries = sizes.map((size, i) => ({ path: `f${i}`, size, type: '' }));
    const plain = await createManifest('x', entries, readSpansByRange(async (f, o, l) => (files[f] ?? new Uint8Array()).slice(o, o + l)), 1000);
    const blobs = files.map((f) => new Blob([f as Uint8Array<ArrayBuffer>]));
    let streams = 0;
    const source: ChunkSource = {
      read: readSpansByRange(async (f, o, l) => new Uint8Array(await (blobs[f] ?? new Blob()).slice(o, o + l).arrayBuffer())),
      runs: (l) => longFileRuns(l, 5000, 10),
      openRun(l, run, maxLength) {
        const range = runFileRange(l, run);
        if (!range) return null;
        streams++;
        return openBlobStream((blobs[range.fileIndex] ?? new Blob()).slice(range.start, range.end), maxLength);
      },
    };
    expect((await createManifest('x', entries, source, 1000)).itemId).toBe(plain.itemId);
    expect(streams).toBe(2);
  });
});
