// Reading a file's bytes from stored chunks: across chunk and file boundaries, clipped, waiting for
// what is not stored yet (and telling the engine where to fetch first), and refusing what cannot be.
import { describe, expect, it } from 'vitest';
import { chunkContentStart, chunkLength } from '../core/chunk-layout';
import { createEmitter } from '../core/events';
import { createManifest, readSpansByRange, type SignedManifest } from '../core/manifest';
import type { SwarmEvent } from '../core/swarm/view-types';
import { randomBytes } from '../test-support/swarm-fixtures';
import { FileRangeError, readFileRange, type FileRangeDeps } from './file-ranges';

/** Two files back to back (packed): 1,500 and 2,300 bytes, in chunks of 1,000. */
const first = randomBytes(1500, 1);
const second = randomBytes(2300, 2);
const content = new Uint8Array([...first, ...second]);

async function item(): Promise<SignedManifest> {
  const files = [
    { path: 'clip/a.webm', size: first.length, type: 'video/webm' },
    { path: 'clip/b.txt', size: second.length, type: '' },
  ];
  return createManifest('clip', files, readSpansByRange(async (file, offset, length) => (file === 0 ? first : second).slice(offset, offset + length)), 1000);
}

/** Deps over an in-memory store holding `stored` chunks; `store(i)` adds one and says so. */
function fakeDeps(signed: SignedManifest, stored: number[]) {
  const held = new Set(stored);
  const events = createEmitter<SwarmEvent>();
  const focused: number[] = [];
  const chunkBytes = (i: number) => {
    const start = chunkContentStart(signed.manifest.layout, i);
    return content.slice(start, start + chunkLength(signed.manifest.layout, i));
  };
  const deps: FileRangeDeps = {
    manifestOf: (itemId) => (itemId === signed.itemId ? signed : null),
    holds: (_itemId, chunk) => held.has(chunk),
    focus: (_itemId, chunk) => focused.push(chunk),
    events,
    chunkBlobs: async (_itemId, from, end) => Array.from({ length: end - from }, (_, k) => (held.has(from + k) ? new Blob([chunkBytes(from + k)]) : null)),
  };
  const store = (chunk: number) => {
    held.add(chunk);
    events.emit({ type: 'chunk-stored', itemId: signed.itemId, chunkIndex: chunk });
  };
  return { deps, focused, store };
}

const bytesOf = async (blob: Blob) => new Uint8Array(await blob.arrayBuffer());
const all = { maxBytes: 1 << 20 };

describe('reading a file range from stored chunks', () => {
  it('reads across chunk boundaries in the middle of a packed item, with the file’s size and type', async () => {
    const signed = await item();
    const { deps } = fakeDeps(signed, [0, 1, 2, 3]);
    const range = await readFileRange(deps, signed.itemId, 1, 300, 2000, all);
    expect(await bytesOf(range.blob)).toEqual(second.slice(300, 2000));
    expect(range).toMatchObject({ start: 300, end: 2000, fileBytes: 2300, mimeType: 'application/octet-stream' });
    const whole = await readFileRange(deps, signed.itemId, 0, 0, Infinity, all);
    expect(await bytesOf(whole.blob)).toEqual(first);
    expect(whole.mimeType).toBe('video/webm');
  });

  it('clips a read to the file’s end and to the most it may return', async () => {
    const signed = await item();
    const { deps } = fakeDeps(signed, [0, 1, 2, 3]);
    const clipped = await readFileRange(deps, signed.itemId, 1, 100, Infinity, { maxBytes: 700 });
    expect(clipped).toMatchObject({ start: 100, end: 800 });
    expect(await bytesOf(clipped.blob)).toEqual(second.slice(100, 800));
    expect((await readFileRange(deps, signed.itemId, 1, 2000, 9000, all)).end).toBe(2300);
  });

  it('waits for missing chunks, asking the engine to fetch from the first of them, then answers', async () => {
    const signed = await item();
    const { deps, focused, store } = fakeDeps(signed, [0]);
    let done = false;
    const reading = readFileRange(deps, signed.itemId, 1, 0, 1200, all).then((range) => ((done = true), range));
    // File b starts at content byte 1,500: chunk 1; its first 1,200 bytes end in chunk 2.
    expect(focused).toEqual([1]);
    store(2);
    await new Promise((resolve) => setImmediate(resolve)); // every promise job queued so far has run
    expect(done).toBe(false);
    store(1);
    expect(await bytesOf((await reading).blob)).toEqual(second.slice(0, 1200));
  });

  it('for a media element, answers once the first chunk is here, with the stored chunks that follow it', async () => {
    const signed = await item();
    const { deps, focused, store } = fakeDeps(signed, [2]);
    const reading = readFileRange(deps, signed.itemId, 1, 0, Infinity, { ...all, partial: true });
    expect(focused).toEqual([1]);
    store(1);
    // File b's bytes in chunks 1 and 2 (content 1,500–3,000); chunk 3 is not stored, so the answer stops there.
    const range = await reading;
    expect(range).toMatchObject({ start: 0, end: 1500 });
    expect(await bytesOf(range.blob)).toEqual(second.slice(0, 1500));
  });

  it('gives up when told to, and refuses an unknown item, a missing file and a range past the end', async () => {
    const signed = await item();
    const { deps } = fakeDeps(signed, []);
    const controller = new AbortController();
    const reading = readFileRange(deps, signed.itemId, 0, 0, 10, { ...all, signal: controller.signal });
    controller.abort();
    await expect(reading).rejects.toMatchObject({ reason: 'timed-out' });
    await expect(readFileRange(deps, 'nope', 0, 0, 10, all)).rejects.toBeInstanceOf(FileRangeError);
    await expect(readFileRange(deps, signed.itemId, 5, 0, 10, all)).rejects.toMatchObject({ reason: 'no-such-file' });
    await expect(readFileRange(deps, signed.itemId, 0, 1500, 1600, all)).rejects.toMatchObject({ reason: 'out-of-range' });
    await expect(readFileRange(deps, signed.itemId, 0, -1, 10, all)).rejects.toMatchObject({ reason: 'out-of-range' });
  });
});
