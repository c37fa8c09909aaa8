// The app's piece store: a tab's dropped files in front of a chunk store (here the in-memory one,
// given the Blob methods the IndexedDB store has).
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMemoryPieces } from '../test-support/memory-pieces';
import type { SignedManifest } from '../core/manifest';
import { minChunkBytes } from '../core/protocol/limits';
import { createBrowserPieceStore, type BrowserPieceStore } from './browser-piece-store';
import { describeFile, describeFolder } from './hash-files';

/** The chunk size the app picks for a file this small (the smallest). */
const chunkBytes = minChunkBytes;

/** Two and a half chunks: three chunks, the last one short. */
const fileBytes = 2.5 * chunkBytes;

const storedPieces = () => createMemoryPieces();

const bytesOf = async (blob: Blob): Promise<Buffer> => Buffer.from(await blob.arrayBuffer());
/** Every chunk of an item, in order, as one Blob: its files back to back (null if one is missing). */
const contentOf = async (pieces: BrowserPieceStore, signed: SignedManifest): Promise<Blob | null> => {
  const chunks = await pieces.chunkBlobs(signed.itemId, 0, signed.manifest.chunkCount);
  return chunks.every((c) => c !== null) ? new Blob(chunks as Blob[]) : null;
};

describe('browser piece store', () => {
  it('serves a shared item from its files before anything is stored', async () => {
    const data = randomBytes(fileBytes);
    const file = new File([data], 'a.bin');
    const signed = await describeFile(file);
    const { memory, stored } = storedPieces();
    const pieces = createBrowserPieceStore(stored);
    pieces.addLocalItem(signed, [file]);
    const second = await pieces.readChunk(signed.itemId, 1);
    expect(Buffer.from(second ?? []).equals(data.subarray(chunkBytes, 2 * chunkBytes))).toBe(true);
    expect(await pieces.readChunk(signed.itemId, 3)).toBeNull();
    expect((await bytesOf((await contentOf(pieces, signed)) ?? new Blob())).equals(data)).toBe(true);
    expect(memory.writes).toBe(0);
  });

  it('copies the files into the store, skipping chunks already there, and reports progress', async () => {
    const data = randomBytes(fileBytes);
    const file = new File([data], 'a.bin');
    const signed = await describeFile(file);
    const { memory, stored } = storedPieces();
    await memory.putChunk(signed.itemId, 1, data.subarray(chunkBytes, 2 * chunkBytes));
    const pieces = createBrowserPieceStore(stored);
    pieces.addLocalItem(signed, [file]);
    const progress: [number, number][] = [];
    await pieces.keepLocalItem(signed, (copied, total) => progress.push([copied, total]));
    expect(progress).toEqual([[1, 3], [2, 3], [3, 3]]);
    expect(memory.writes).toBe(3);
    expect(await memory.heldChunksOf(signed.itemId)).toEqual([0, 1, 2]);
    // A later tab has no files, only what was stored.
    const reloaded = createBrowserPieceStore(stored);
    expect((await bytesOf((await contentOf(reloaded, signed)) ?? new Blob())).equals(data)).toBe(true);
  });

  it('cannot copy an item whose files it does not hold', async () => {
    const signed = await describeFile(new File([randomBytes(10)], 'gone.bin'));
    const pieces = createBrowserPieceStore(storedPieces().stored);
    await expect(pieces.keepLocalItem(signed)).rejects.toThrow(/chunk 0 of gone.bin is no longer readable/);
  });

  it('gives a folder’s chunks from its files, small files sharing a chunk, and null for what it lacks', async () => {
    const small = new File([randomBytes(1000)], 'one.txt', { type: 'text/plain' });
    const large = new File([randomBytes(fileBytes)], 'two.bin');
    const signed = await describeFolder('folder', [
      { path: 'folder/one.txt', file: small },
      { path: 'folder/two.bin', file: large },
    ]);
    expect(signed.manifest.chunkCount).toBe(3); // 1000 + 2.5 chunks of bytes, packed
    const pieces = createBrowserPieceStore(storedPieces().stored);
    expect(await pieces.chunkBlobs(signed.itemId, 0, 3)).toEqual([null, null, null]);
    pieces.addLocalItem(signed, [small, large]);
    const content = await contentOf(pieces, signed);
    expect((await bytesOf(content ?? new Blob())).equals(Buffer.concat([await bytesOf(small), await bytesOf(large)]))).toBe(true);
  });

  it('deletes chunks found damaged', async () => {
    const file = new File([randomBytes(fileBytes)], 'a.bin');
    const signed = await describeFile(file);
    const { memory, stored } = storedPieces();
    const pieces = createBrowserPieceStore(stored);
    pieces.addLocalItem(signed, [file]);
    await pieces.keepLocalItem(signed);
    await pieces.deleteChunks(signed.itemId, [1]);
    expect(await memory.heldChunksOf(signed.itemId)).toEqual([0, 2]);
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
