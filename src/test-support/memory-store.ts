// An in-memory PieceStore for engine tests, with an optional write failure.
import type { PieceStore } from '../core/ports';

/** A PieceStore in a Map; `failWrites` makes putChunk reject (a full disk). */
export function createMemoryStore(): PieceStore & {
  chunks: Map<string, Uint8Array>;
  manifests: Map<string, Uint8Array>;
  writes: number;
  failWrites: Error | null;
} {
  const store = {
    chunks: new Map<string, Uint8Array>(),
    manifests: new Map<string, Uint8Array>(),
    writes: 0,
    failWrites: null as Error | null,
    async putManifest(itemId: string, bytes: Uint8Array) {
      store.manifests.set(itemId, bytes.slice());
    },
    async putChunk(itemId: string, index: number, bytes: Uint8Array) {
      if (store.failWrites) throw store.failWrites;
      store.writes++;
      store.chunks.set(`${itemId}/${index}`, bytes.slice());
    },
    async readChunk(itemId: string, index: number) {
      return store.chunks.get(`${itemId}/${index}`) ?? null;
    },
  };
  return store;
}
