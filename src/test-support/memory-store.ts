// An in-memory PieceStore for engine tests, with an optional write failure. It passes the same
// compliance suite as the IndexedDB store (src/test-support/piece-store-compliance.ts).
import type { PieceStore } from '../core/ports';
import { chunkKey } from '../core/swarm/claims';

/** The in-memory store: the PieceStore port plus what the IndexedDB store also offers. */
export interface MemoryStore extends PieceStore {
  /** Chunks by `chunkKey(itemId, chunkIndex)`. */
  chunks: Map<string, Uint8Array>;
  manifests: Map<string, Uint8Array>;
  /** Chunk writes that succeeded. */
  writes: number;
  /** When set, putChunk rejects with it (a full disk). */
  failWrites: Error | null;
  getManifest(itemId: string): Promise<Uint8Array | null>;
  heldChunks(): Promise<Map<string, number[]>>;
  heldChunksOf(itemId: string): Promise<number[]>;
  deleteItem(itemId: string): Promise<void>;
}

/** Splits a chunk key at its last ':' (an index has none; an item id might). */
function parseKey(key: string): { itemId: string; chunkIndex: number } {
  const at = key.lastIndexOf(':');
  return { itemId: key.slice(0, at), chunkIndex: Number(key.slice(at + 1)) };
}

/** A PieceStore in a Map; `failWrites` makes putChunk reject (a full disk). */
export function createMemoryStore(): MemoryStore {
  const store: MemoryStore = {
    chunks: new Map(),
    manifests: new Map(),
    writes: 0,
    failWrites: null,
    async putManifest(itemId, bytes) {
      store.manifests.set(itemId, bytes.slice());
    },
    async putChunk(itemId, index, bytes) {
      if (store.failWrites) throw store.failWrites;
      store.writes++;
      store.chunks.set(chunkKey(itemId, index), bytes.slice());
    },
    async readChunk(itemId, index) {
      return store.chunks.get(chunkKey(itemId, index))?.slice() ?? null;
    },
    async getManifest(itemId) {
      return store.manifests.get(itemId)?.slice() ?? null;
    },
    async heldChunks() {
      const held = new Map<string, number[]>();
      for (const key of store.chunks.keys()) {
        const { itemId, chunkIndex } = parseKey(key);
        held.set(itemId, [...(held.get(itemId) ?? []), chunkIndex]);
      }
      for (const list of held.values()) list.sort((a, b) => a - b);
      return held;
    },
    async heldChunksOf(itemId) {
      return (await store.heldChunks()).get(itemId) ?? [];
    },
    async deleteItem(itemId) {
      for (const key of [...store.chunks.keys()]) if (parseKey(key).itemId === itemId) store.chunks.delete(key);
      store.manifests.delete(itemId);
    },
  };
  return store;
}
