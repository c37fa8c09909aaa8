// The in-memory store given the Blob methods the IndexedDB chunk store has (src/storage/chunk-store.ts),
// so the browser piece store and saving can be tested in Node.
import { chunkKey } from '../core/swarm/claims';
import { createBrowserPieceStore, type BrowserPieceStore, type StoredPieces } from '../files/browser-piece-store';
import { createMemoryStore, type MemoryStore } from './memory-store';

/** A memory store and the same chunks as `StoredPieces`. */
export function createMemoryPieces(memory: MemoryStore = createMemoryStore()): { memory: MemoryStore; stored: StoredPieces } {
  const stored: StoredPieces = {
    ...memory,
    putChunkBlob: async (itemId, index, blob) => memory.putChunk(itemId, index, new Uint8Array(await blob.arrayBuffer())),
    chunkBlobs: async (itemId, first, end) =>
      Array.from({ length: Math.max(0, end - first) }, (_, k) => {
        const bytes = memory.chunks.get(chunkKey(itemId, first + k));
        return bytes ? new Blob([bytes.slice() as Uint8Array<ArrayBuffer>]) : null;
      }),
    deleteChunks: async (itemId, indexes) => {
      for (const index of indexes) memory.chunks.delete(chunkKey(itemId, index));
    },
  };
  return { memory, stored };
}

/** The browser piece store (dropped files in front of storage) over a memory store. */
export function createMemoryBrowserPieces(): { memory: MemoryStore; pieces: BrowserPieceStore } {
  const { memory, stored } = createMemoryPieces();
  return { memory, pieces: createBrowserPieceStore(stored) };
}
