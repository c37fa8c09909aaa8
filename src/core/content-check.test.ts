import { afterEach, describe, expect, it, vi } from 'vitest';
import { chunkSpans } from './chunk-layout';
import { createManualClock } from './clock';
import { checkContent, chunkReadStallMs, streamReadStallMs, type ReadStall } from './content-check';
import { createManifest, readSpansByRange, type SignedManifest } from './manifest';
import { crc32 } from './zip/crc32';

afterEach(() => vi.restoreAllMocks());

/** Bytes that differ per file and per offset, so a misplaced byte changes a CRC. */
const fileBytes = (fileIndex: number, size: number): Uint8Array => Uint8Array.from({ length: size }, (_, i) => (fileIndex * 31 + i) & 0xff);

async function item(sizes: readonly number[], chunkBytes: number) {
  const contents = sizes.map((size, f) => fileBytes(f, size));
  const files = sizes.map((size, f) => ({ path: `d/${f}.bin`, size, type: '' }));
  const signed = await createManifest('d', files, readSpansByRange(async (f, offset, length) => (contents[f] ?? new Uint8Array()).slice(offset, offset + length)), chunkBytes);
  return { signed, contents };
}

/** The chunks as the store would give them: each the bytes of its spans. */
function chunksOf(signed: SignedManifest, contents: readonly Uint8Array[]): Blob[] {
  return Array.from({ length: signed.manifest.chunkCount }, (_, i) =>
    new Blob(chunkSpans(signed.manifest.layout, i).map((s) => (contents[s.fileIndex] ?? new Uint8Array()).slice(s.offset, s.offset + s.length))),
  );
}

describe('checkContent', () => {
  it('reads 3,000 small files packed in chunks through one stream, handing on every byte in order', async () => {
    const sizes = Array.from({ length: 3000 }, (_, i) => (i % 7 === 0 ? 0 : 50 + (i % 300)));
    const { signed, contents } = await item(sizes, 4096);
    const streams = vi.spyOn(Blob.prototype, 'stream');
    const progress: number[] = [];
    const crcs = sizes.map(() => 0);
    const check = await checkContent({
      manifest: signed.manifest,
      firstChunk: 0,
      endChunk: signed.manifest.chunkCount,
      chunks: chunksOf(signed, contents),
      onSpan: (span, bytes) => (crcs[span.fileIndex] = crc32(bytes, crcs[span.fileIndex])),
      onProgress: (done) => progress.push(done),
    });
    expect(streams).toHaveBeenCalledTimes(1); // Chromium hangs after a few hundred Blob streams
    expect(check.faults.size).toBe(0);
    expect(crcs).toEqual(contents.map((c) => crc32(c)));
    expect(progress.at(-1)).toBe(signed.manifest.totalBytes);
  });

  it('names missing, wrong-sized, damaged and unreadable chunks, and checks the rest', async () => {
    const { signed, contents } = await item([2500, 10, 3000], 1000);
    const chunks: (Blob | null)[] = chunksOf(signed, contents); // 6 chunks
    chunks[0] = null;
    chunks[1] = new Blob([new Uint8Array(999)]);
    chunks[2] = new Blob([new Uint8Array(1000)]);
    // Chunk 4 cannot be read: the stream fails on it, and so does reading it on its own.
    const unreadable = chunks[4] as Blob;
    const failing = new ReadableStream<Uint8Array>({ type: 'bytes', pull: (c) => c.error(new Error('NotReadableError')) });
    vi.spyOn(Blob.prototype, 'stream').mockReturnValue(failing as ReturnType<Blob['stream']>);
    unreadable.arrayBuffer = () => Promise.reject(new Error('NotReadableError'));
    const spans: number[] = [];
    const check = await checkContent({ manifest: signed.manifest, firstChunk: 0, endChunk: 6, chunks, onSpan: (span) => spans.push(span.fileIndex) });
    expect([...check.faults].sort()).toEqual([
      [0, 'missing'],
      [1, 'damaged'],
      [2, 'damaged'],
      [4, 'unreadable'],
    ]);
    expect(spans).toEqual([]); // nothing is handed on once a chunk is faulty: the save will not use it
  });

  it('checks only the chunks of one file, and stops when cancelled', async () => {
    const { signed, contents } = await item([1500, 700, 2000], 1000);
    const all = chunksOf(signed, contents);
    let crc = 0;
    const one = await checkContent({
      manifest: signed.manifest,
      firstChunk: 1,
      endChunk: 3,
      chunks: all.slice(1, 3),
      onSpan: (span, bytes) => (crc = span.fileIndex === 1 ? crc32(bytes, crc) : crc),
    });
    expect([one.faults.size, crc]).toEqual([0, crc32(contents[1] ?? new Uint8Array())]);
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    await expect(checkContent({ manifest: signed.manifest, firstChunk: 0, endChunk: 5, chunks: all, signal: controller.signal })).rejects.toThrow('cancelled');
  });

  it('gives up a stream that stops answering and a chunk that never reads, and says so: the save ends instead of hanging', async () => {
    const { signed, contents } = await item([2500, 10, 3000], 1000);
    const chunks = chunksOf(signed, contents); // 6 chunks
    // The stream answers nothing, ever; chunk 3 read on its own answers nothing either.
    const silent = new ReadableStream<Uint8Array>({ type: 'bytes', pull: () => new Promise<void>(() => undefined) });
    vi.spyOn(Blob.prototype, 'stream').mockReturnValue(silent as ReturnType<Blob['stream']>);
    (chunks[3] as Blob).arrayBuffer = () => new Promise<ArrayBuffer>(() => undefined);
    const clock = createManualClock();
    const stalls: ReadStall[] = [];
    const progress: number[] = [];
    const checked = checkContent({
      manifest: signed.manifest,
      firstChunk: 0,
      endChunk: 6,
      chunks,
      clock,
      onStall: (stall) => stalls.push(stall),
      onProgress: (done) => progress.push(done),
    });
    // Fake time moves only once the check waits on the silent read alone: the other reads and hashes
    // are real work, which a loaded machine may take many milliseconds to finish.
    const waitsOnlyFor = async (timerMs: number, doneBytes: number): Promise<void> =>
      vi.waitFor(() => expect([progress.at(-1) ?? 0, clock.pending()]).toEqual([doneBytes, [timerMs]]), { timeout: 10_000, interval: 5 });
    await waitsOnlyFor(streamReadStallMs, 0);
    clock.advance(streamReadStallMs);
    await waitsOnlyFor(chunkReadStallMs, 3000); // chunks 0-2 read one by one, then chunk 3's read hangs
    clock.advance(chunkReadStallMs);
    const check = await checked;
    expect(stalls).toEqual([
      { source: 'stream', chunkIndex: 0, afterMs: streamReadStallMs },
      { source: 'chunk', chunkIndex: 3, afterMs: chunkReadStallMs },
    ]);
    expect([...check.faults]).toEqual([[3, 'unreadable']]);
    expect(progress).toEqual([1000, 2000, 3000, 4000, 4510]); // every other chunk (the last holds 510 bytes) was read on its own and checked
    expect(clock.pending()).toEqual([]); // no timer left behind
  });
});
