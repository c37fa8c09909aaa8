// The app's piece store: a tab's dropped files in front of a chunk store (here the in-memory one,
// given the Blob methods the IndexedDB store has).
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../test-support/memory-store';
import { createBrowserPieceStore, type StoredPieces } from './browser-piece-store';
import { describeFile, describeFolder } from './hash-files';

/** 2.5 MiB: three chunks at the 1 MiB base chunk size, the last one short. */
const fileBytes = 2.5 * 1024 * 1024;

/** The in-memory store with Blob reads and writes, as src/storage/chunk-store.ts offers them. */
function storedPieces() {
  const memory = createMemoryStore();
  const stored: StoredPieces = {
    ...memory,
    putChunkBlob: async (itemId, index, blob) => memory.putChunk(itemId, index, new Uint8Array(await blob.arrayBuffer())),
    chunkBlob: async (itemId, index) => {
      const bytes = await memory.readChunk(itemId, index);
      return bytes && new Blob([bytes as Uint8Array<ArrayBuffer>]);
    },
  };
  return { memory, stored };
}

const bytesOf = async (blob: Blob): Promise<Buffer> => Buffer.from(await blob.arrayBuffer());

describe('browser piece store', () => {
  it('serves a shared item from its files before anything is stored', async () => {
    const data = randomBytes(fileBytes);
    const file = new File([data], 'a.bin');
    const signed = await describeFile(file);
    const { memory, stored } = storedPieces();
    const pieces = createBrowserPieceStore(stored);
    pieces.addLocalItem(signed, [file]);
    const second = await pieces.readChunk(signed.itemId, 1);
    expect(Buffer.from(second ?? []).equals(data.subarray(1024 * 1024, 2 * 1024 * 1024))).toBe(true);
    expect(await pieces.readChunk(signed.itemId, 3)).toBeNull();
    expect((await bytesOf(await pieces.fileBlob(signed, 0))).equals(data)).toBe(true);
    expect(memory.writes).toBe(0);
  });

  it('copies the files into the store, skipping chunks already there, and reports progress', async () => {
    const data = randomBytes(fileBytes);
    const file = new File([data], 'a.bin');
    const signed = await describeFile(file);
    const { memory, stored } = storedPieces();
    await memory.putChunk(signed.itemId, 1, data.subarray(1024 * 1024, 2 * 1024 * 1024));
    const pieces = createBrowserPieceStore(stored);
    pieces.addLocalItem(signed, [file]);
    const progress: [number, number][] = [];
    await pieces.keepLocalItem(signed, (copied, total) => progress.push([copied, total]));
    expect(progress).toEqual([[1, 3], [2, 3], [3, 3]]);
    expect(memory.writes).toBe(3);
    expect(await memory.heldChunksOf(signed.itemId)).toEqual([0, 1, 2]);
    // A later tab has no files, only what was stored.
    const reloaded = createBrowserPieceStore(stored);
    expect((await bytesOf(await reloaded.fileBlob(signed, 0))).equals(data)).toBe(true);
  });

  it('cannot copy an item whose files it does not hold', async () => {
    const signed = await describeFile(new File([randomBytes(10)], 'gone.bin'));
    const pieces = createBrowserPieceStore(storedPieces().stored);
    await expect(pieces.keepLocalItem(signed)).rejects.toThrow(/chunk 0 of gone.bin is no longer readable/);
  });

  it('builds each file of a folder, and says which chunk is missing', async () => {
    const small = new File([randomBytes(1000)], 'one.txt', { type: 'text/plain' });
    const large = new File([randomBytes(fileBytes)], 'two.bin');
    const signed = await describeFolder('folder', [
      { path: 'folder/one.txt', file: small },
      { path: 'folder/two.bin', file: large },
    ]);
    const pieces = createBrowserPieceStore(storedPieces().stored);
    await expect(pieces.fileBlob(signed, 1)).rejects.toThrow(/missing/);
    pieces.addLocalItem(signed, [small, large]);
    const first = await pieces.fileBlob(signed, 0);
    expect(first.type).toBe('text/plain');
    expect((await bytesOf(first)).equals(await bytesOf(small))).toBe(true);
    expect((await bytesOf(await pieces.fileBlob(signed, 1))).equals(await bytesOf(large))).toBe(true);
    await expect(pieces.fileBlob(signed, 2)).rejects.toThrow(RangeError);
  });

  it('deletes an item from the store and stops serving it from its files', async () => {
    const file = new File([randomBytes(1000)], 'a.bin');
    const signed = await describeFile(file);
    const { memory, stored } = storedPieces();
    const pieces = createBrowserPieceStore(stored);
    pieces.addLocalItem(signed, [file]);
    await pieces.putManifest(signed.itemId, signed.bytes);
    await pieces.keepLocalItem(signed);
    await pieces.deleteItem(signed.itemId);
    expect(await pieces.readChunk(signed.itemId, 0)).toBeNull();
    expect(await pieces.getManifest(signed.itemId)).toBeNull();
    expect(await pieces.heldChunks()).toEqual(new Map());
    expect(memory.chunks.size).toBe(0);
  });
});
