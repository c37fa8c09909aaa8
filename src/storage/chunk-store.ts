// Verified chunks and manifests in IndexedDB (with src/storage/rooms-store.ts, the only code that
// imports idb-keyval). Chunks are stored as Blobs, so large items stay disk-backed; one item's
// chunks are found through a key range (src/storage/chunk-keys.ts), never a scan of every key.
import { createStore, del, get, promisifyRequest, set, type UseStore } from 'idb-keyval';
import { StorageFullError, type PieceStore } from '../core/ports';
import {
  chunkRecordKey,
  itemLegacyRange,
  itemRecordRange,
  legacyChunkKey,
  parseChunkRecordKey,
} from './chunk-keys';

/** IndexedDB database names: one object store each, as idb-keyval's createStore makes them. */
const chunkDbName = 'swarmdrop-chunks';
const manifestDbName = 'swarmdrop-manifests';

/** The IndexedDB piece store: the engine's PieceStore plus what saving, resuming and deleting need. */
export interface ChunkStore extends PieceStore {
  /** A stored manifest's bytes, or null. */
  getManifest(itemId: string): Promise<Uint8Array | null>;
  /** Every stored chunk, as chunk indexes by item id (reads every key: for listing all rooms). */
  heldChunks(): Promise<Map<string, number[]>>;
  /** One item's stored chunk indexes, ascending (a key range read). */
  heldChunksOf(itemId: string): Promise<number[]>;
  /** Keeps a chunk given as a Blob (a File slice stays unread by JavaScript). */
  putChunkBlob(itemId: string, chunkIndex: number, blob: Blob): Promise<void>;
  /** A stored chunk as a Blob (disk-backed in Chromium), or null. */
  chunkBlob(itemId: string, chunkIndex: number): Promise<Blob | null>;
  /** Chunks [first, end) of an item as Blobs, null where none is stored (one transaction). */
  chunkBlobs(itemId: string, first: number, end: number): Promise<(Blob | null)[]>;
  /** Deletes some chunks of an item (found damaged or unreadable). */
  deleteChunks(itemId: string, chunkIndexes: readonly number[]): Promise<void>;
  /** Deletes an item's chunks and manifest. */
  deleteItem(itemId: string): Promise<void>;
}

/** IndexedDB's quota error becomes the core's StorageFullError, so the engine pauses instead of failing. */
function asStorageError(error: unknown): unknown {
  const { name, message } = (typeof error === 'object' && error !== null ? error : {}) as { name?: unknown; message?: unknown };
  return name === 'QuotaExceededError' ? new StorageFullError(typeof message === 'string' ? message : undefined) : error;
}

/** Wraps bytes as a Blob (IndexedDB copies it; the caller's buffer is not kept). */
const blobOf = (bytes: Uint8Array): Blob => new Blob([bytes as Uint8Array<ArrayBuffer>]);

/** Opens the IndexedDB-backed store (databases are created on first use). */
export function createChunkStore(): ChunkStore {
  const chunks: UseStore = createStore(chunkDbName, 'chunks');
  const manifests: UseStore = createStore(manifestDbName, 'manifests');

  /** One put, resolved when its transaction commits (durable), as idb-keyval's `set` does. */
  const writeChunk = (itemId: string, chunkIndex: number, blob: Blob): Promise<void> =>
    chunks('readwrite', (store) => {
      store.put(blob, chunkRecordKey(itemId, chunkIndex));
      return promisifyRequest(store.transaction);
    }).catch((error: unknown) => Promise.reject(asStorageError(error)));

  /** Chunks [first, end) in one transaction; both key formats are asked, at most one holds each chunk. */
  const chunkBlobs = (itemId: string, first: number, end: number): Promise<(Blob | null)[]> =>
    chunks('readonly', (store) =>
      Promise.all(
        Array.from({ length: Math.max(0, end - first) }, async (_, k) => {
          const [current, legacy] = await Promise.all([
            promisifyRequest<unknown>(store.get(chunkRecordKey(itemId, first + k))),
            promisifyRequest<unknown>(store.get(legacyChunkKey(itemId, first + k))),
          ]);
          if (current instanceof Blob) return current;
          return legacy instanceof Blob ? legacy : null;
        }),
      ),
    );
  const chunkBlob = async (itemId: string, chunkIndex: number): Promise<Blob | null> =>
    (await chunkBlobs(itemId, chunkIndex, chunkIndex + 1))[0] ?? null;

  return {
    async putManifest(itemId, bytes) {
      await set(itemId, blobOf(bytes), manifests).catch((error: unknown) => Promise.reject(asStorageError(error)));
    },
    putChunk: (itemId, chunkIndex, bytes) => writeChunk(itemId, chunkIndex, blobOf(bytes)),
    putChunkBlob: writeChunk,
    async readChunk(itemId, chunkIndex) {
      const blob = await chunkBlob(itemId, chunkIndex);
      return blob ? new Uint8Array(await blob.arrayBuffer()) : null;
    },
    chunkBlob,
    chunkBlobs,
    async deleteChunks(itemId, chunkIndexes) {
      await chunks('readwrite', (store) => {
        for (const index of chunkIndexes) {
          store.delete(chunkRecordKey(itemId, index));
          store.delete(legacyChunkKey(itemId, index));
        }
        return promisifyRequest(store.transaction);
      });
    },
    async getManifest(itemId) {
      const stored: unknown = await get(itemId, manifests);
      return stored instanceof Blob ? new Uint8Array(await stored.arrayBuffer()) : null;
    },
    async heldChunks() {
      const allKeys = await chunks('readonly', (store) => promisifyRequest(store.getAllKeys()));
      const held = new Map<string, Set<number>>();
      for (const key of allKeys) {
        const parsed = parseChunkRecordKey(key);
        if (parsed) held.set(parsed.itemId, (held.get(parsed.itemId) ?? new Set()).add(parsed.chunkIndex));
      }
      return new Map([...held].map(([itemId, indexes]) => [itemId, [...indexes].sort((a, b) => a - b)]));
    },
    async heldChunksOf(itemId) {
      const [current, legacy] = await chunks('readonly', (store) =>
        Promise.all([
          promisifyRequest(store.getAllKeys(itemRecordRange(itemId))),
          promisifyRequest(store.getAllKeys(itemLegacyRange(itemId))),
        ]),
      );
      const indexes = new Set<number>();
      for (const key of [...current, ...legacy]) {
        const parsed = parseChunkRecordKey(key);
        if (parsed?.itemId === itemId) indexes.add(parsed.chunkIndex);
      }
      return [...indexes].sort((a, b) => a - b);
    },
    async deleteItem(itemId) {
      await chunks('readwrite', (store) => {
        store.delete(itemRecordRange(itemId));
        store.delete(itemLegacyRange(itemId));
        return promisifyRequest(store.transaction);
      });
      await del(itemId, manifests);
    },
  };
}
